/** Display helpers. Money stays a decimal string: it is grouped for reading, never computed with. */

/** "1234567.89" -> "1,234,567.89" (the string's own digits, no rounding). */
export function money(value: string | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const [whole, decimals] = value.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return decimals === undefined ? grouped : `${grouped}.${decimals}`;
}

/** A fraction of 1 ("0.4464979152") as an exact percentage ("44.64979152%"). */
export function percent(fraction: string | null | undefined): string {
  if (fraction === null || fraction === undefined) return '—';
  const negative = fraction.startsWith('-');
  const [whole, decimals = ''] = fraction.replace('-', '').split('.');
  const digits = `${whole}${decimals.padEnd(2, '0')}`;
  const point = whole.length + 2;
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${negative ? '-' : ''}${integer}${rest ? `.${rest}` : ''}%`;
}

/** For drawing only: a chart needs floats; the figures shown as text are the exact strings. */
export const plot = (value: string | null | undefined): number | null => (value === null || value === undefined ? null : Number(value));

/** Quarter ends from a date to another, inclusive: the dashboard's time axis. */
export function quarterEnds(from: string, to: string): string[] {
  const out: string[] = [];
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const end of ['03-31', '06-30', '09-30', '12-31']) {
      const date = `${year}-${end}`;
      if (date >= from && date <= to) out.push(date);
    }
  }
  return out;
}

/** The last day of the quarter a date is in ("2026-08-05" -> "2026-09-30"). */
export function quarterEndOf(date: string): string {
  const month = Math.ceil(Number(date.slice(5, 7)) / 3) * 3;
  return `${date.slice(0, 4)}-${String(month).padStart(2, '0')}-${month === 6 || month === 9 ? '30' : '31'}`;
}

/** A fund's life as the dashboard's time axis: each quarter end from its first event's quarter to its latest event's. */
export function lifeQuarterEnds(life: { firstDate: string; latestDate: string }): string[] {
  return quarterEnds(quarterEndOf(life.firstDate), quarterEndOf(life.latestDate));
}

/** The quarter end a page opens on: the latest quarter end of the fund's life (the books' latest date's quarter). */
export const openingQuarterEnd = (life: { latestDate: string }): string => quarterEndOf(life.latestDate);

/** camelCase or SHOUTING keys as words for a label ("endingNav" -> "Ending NAV"). */
export function labelOf(key: string): string {
  const known: Record<string, string> = { irr: 'IRR', tvpi: 'TVPI', dpi: 'DPI', rvpi: 'RVPI', endingNav: 'Ending NAV', nav: 'NAV', xirr: 'XIRR' };
  if (known[key]) return known[key];
  const words = key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Rows as CSV text (RFC 4180: a field with a comma, quote or line break is quoted). */
export function csvOf(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  const field = (v: string | number | null | undefined) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${rows.map((r) => r.map(field).join(',')).join('\n')}\n`;
}

/**
 * Where each marker's label goes: markers at one point share one label; each label takes the first
 * row where it clears the labels already placed there, and a label with no room in `rows` rows is
 * left out (the line stays; the page lists every marker). Pure, for a test: x and width in pixels.
 */
export function placeLabels(items: { x: number; width: number; label: string }[], rows: number, gap = 6): { x: number; row: number; label: string }[] {
  const ends: number[] = Array.from({ length: rows }, () => -Infinity);
  const placed: { x: number; row: number; label: string }[] = [];
  for (const item of items) {
    const row = ends.findIndex((end) => item.x >= end + gap);
    if (row < 0) continue;
    ends[row] = item.x + item.width;
    placed.push({ x: item.x, row, label: item.label });
  }
  return placed;
}

/** CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF) as rows of fields; blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const input = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') ((field += '"'), i++);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (row.push(field), (field = ''));
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i++;
      row.push(field);
      if (row.some((f) => f !== '')) rows.push(row);
      ((row = []), (field = ''));
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

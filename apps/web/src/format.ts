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

import type { RegisterRow } from './capital-account';

export const REGISTER_COLUMNS: (keyof RegisterRow)[] = ['lpId', 'kind', 'country', 'currency', 'commitmentUsd', 'contributions', 'netAssets', 'ownership'];

/** The register as CSV lines, header first; values are ids, codes and decimal strings. */
export function* registerCsv(rows: Iterable<RegisterRow>): Generator<string> {
  yield `${REGISTER_COLUMNS.join(',')}\n`;
  for (const row of rows) yield `${REGISTER_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`;
}

const csvField = (value: string) => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);

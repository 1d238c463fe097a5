import { csvLine } from '../csv';
import type { RegisterRow } from './register';

export const REGISTER_COLUMNS: (keyof RegisterRow)[] = ['lpId', 'kind', 'country', 'currency', 'commitmentUsd', 'contributions', 'netAssets', 'ownership'];

/** The register as CSV lines, header first; values are ids, codes and decimal strings. */
export function* registerCsv(rows: Iterable<RegisterRow>): Generator<string> {
  yield csvLine(REGISTER_COLUMNS);
  for (const row of rows) yield csvLine(REGISTER_COLUMNS.map((c) => row[c]));
}

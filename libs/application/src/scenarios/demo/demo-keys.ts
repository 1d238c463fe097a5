import type { EventStore } from '@fundsim/event-store';
import { writeFileSync } from 'node:fs';
import type { IssuedKey, KeyService, Role } from '../../access/keys.service';
import { DEMO_FUND } from './us-japan-fund';

/** The principals the demo fund needs: its two managers, the operators it names, an auditor, an admin and two LPs. */
export const DEMO_PRINCIPALS: readonly [Role, string | undefined][] = [
  ['manager', 'us-treasury'],
  ['manager', 'jp-mof'],
  ['operator', 'retail-platform'],
  ['operator', 'market-data'],
  ['auditor', undefined],
  ['admin', undefined],
  ['lp', 'retail-us-000001'],
  ['lp', 'retail-jp-000001'],
];

/** Where the demo keys are written: FUNDSIM_DEMO_KEYS, else beside a SQLite file, else the working directory. */
export function demoKeysFile(store: EventStore): string {
  const path = (store as { path?: string }).path;
  return process.env.FUNDSIM_DEMO_KEYS ?? (typeof path === 'string' && path !== ':memory:' ? `${path}.demo-keys.json` : 'fundsim-demo-keys.json');
}

/** Issues the demo's keys and writes them, once, to a file only its owner can read (mode 600). */
export async function issueDemoKeys(keys: KeyService, file: string, issuedBy: string): Promise<IssuedKey[]> {
  const issued: IssuedKey[] = [];
  for (const [role, subject] of DEMO_PRINCIPALS) issued.push(await keys.issue(role, subject, issuedBy, role === 'lp' ? DEMO_FUND : undefined));
  writeFileSync(file, `${JSON.stringify(issued, null, 2)}\n`, { mode: 0o600 });
  return issued;
}

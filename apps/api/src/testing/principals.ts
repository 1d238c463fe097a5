import type { INestApplication } from '@nestjs/common';
import { DEMO_PRINCIPALS, KeyService, ScenarioService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request, { type Test } from 'supertest';
import { createApp } from '../bootstrap';

/** Keys for the demo's principals, issued into the store at `path`, by subject (`auditor`, `admin` for those). */
export async function issueKeys(path: string): Promise<Record<string, string>> {
  const store = new SqliteEventStore(path);
  const keys = new KeyService(store);
  const out: Record<string, string> = {};
  for (const [role, subject] of DEMO_PRINCIPALS) out[subject ?? role] = (await keys.issue(role, subject, 'test-setup', role === 'lp' ? 'usjp' : undefined)).key;
  await store.close();
  return out;
}

/**
 * Requests as the principals of `keys`: `get` as the auditor unless told; `post(url).send(body)`
 * as the principal the body's `actor` names (the field itself is not sent: the key is who acts).
 */
export function asPrincipals(app: INestApplication, keys: Record<string, string>) {
  const auth = (who: string) => {
    if (!keys[who]) throw new Error(`no test key for ${who}`);
    return { Authorization: `Bearer ${keys[who]}` };
  };
  return {
    auth,
    get: (url: string, who = 'auditor'): Test => request(app.getHttpServer()).get(url).set(auth(who)),
    post: (url: string): Test => {
      const test = request(app.getHttpServer()).post(url);
      const send = test.send.bind(test);
      test.send = (body?: string | object) => {
        if (body && typeof body === 'object' && 'actor' in body) {
          const { actor, ...rest } = body as { actor: string };
          test.set(auth(actor));
          return send(rest);
        }
        return send(body);
      };
      return test;
    },
  };
}

/**
 * The API over a SQLite store at `path` holding the worked examples' fund (scenarios/first-close
 * and first-allocation) and the demo principals' keys. The caller closes the app and unsets
 * FUNDSIM_STORE.
 */
export async function apiOverScenarios(path: string): Promise<{ app: INestApplication; keys: Record<string, string>; as: ReturnType<typeof asPrincipals> }> {
  const store = new SqliteEventStore(path);
  const scenarios = new ScenarioService(store);
  for (const file of ['first-close.json', 'first-allocation.json'])
    await scenarios.apply(readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', file), 'utf8'));
  await store.close();
  const keys = await issueKeys(path);
  process.env.FUNDSIM_STORE = `sqlite:${path}`;
  const app = await createApp({ logger: false });
  return { app, keys, as: asPrincipals(app, keys) };
}

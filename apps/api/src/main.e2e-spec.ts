import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { MAIN, startApi } from './testing/server';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start on a fresh machine', () => {
  it('creates the store, loads the demo fund because the store is empty, and says where it listens', async () => {
    const api = await startApi({ FUNDSIM_STORE: `sqlite:${join(dir, 'data', 'fundsim.db')}` }, 90_000);
    try {
      const output = api.output();
      const port = new URL(api.url).port;
      expect(output).toContain('The store is empty: loading the U.S.-Japan demo fund');
      expect(output).toMatch(/Loaded fund usjp: \d+ events, 3000 retail LPs\./);
      // PORT=0: the port the system chose, not 0.
      expect(Number(port)).toBeGreaterThan(0);
      expect(output).toContain(`fundsim API listening on http://localhost:${port}`);
      expect(output).toContain(`API docs (OpenAPI) at http://localhost:${port}/docs`);
      // The demo's keys, in a file only its owner can read; without one, 401.
      const file = `${join(dir, 'data', 'fundsim.db')}.demo-keys.json`;
      expect(output).toContain(`written to ${file} (readable only by you)`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const keys = JSON.parse(readFileSync(file, 'utf8')) as { role: string; subject: string; key: string }[];
      const auditor = keys.find((k) => k.role === 'auditor')!.key;
      expect((await fetch(`${api.url}/funds/usjp/balance-sheet?asOf=2030-12-31`)).status).toBe(401);
      const sheet = (await (
        await fetch(`${api.url}/funds/usjp/balance-sheet?asOf=2030-12-31`, { headers: { Authorization: `Bearer ${auditor}` } })
      ).json()) as { commitments: { admitted: string } };
      expect(sheet.commitments.admitted).toBe('300000000000.00');
      expect((await fetch(`${api.url}/docs`)).status).toBe(200);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('says in one line, without a stack, that the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    const run = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, PORT: String(port), FUNDSIM_DEMO: 'off', FUNDSIM_STORE: `sqlite:${join(dir, 'busy.db')}` },
      encoding: 'utf8',
      timeout: 30_000,
    });
    blocker.close();
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`fundsim: port ${port} on 127.0.0.1 is in use by another process; set PORT to a free one`);
  }, 60_000);

  it('says in one line, without a stack, that FUNDSIM_STORE is malformed or that its PostgreSQL does not answer', async () => {
    const probe = createServer().listen(0, '127.0.0.1');
    await once(probe, 'listening');
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const start = (store: string) =>
      spawnSync(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', FUNDSIM_STORE: store }, encoding: 'utf8', timeout: 30_000 });
    const malformed = start('postgres://fundsim:secret@db:port/fundsim');
    expect(malformed.status).toBe(1);
    expect(malformed.stderr.trim()).toBe(
      'fundsim: "postgres://fundsim:***@db:port/fundsim" is not a PostgreSQL URL (postgres://user:password@host:5432/database)',
    );
    const down = start(`postgres://fundsim:secret@127.0.0.1:${port}/fundsim`);
    expect(down.status).toBe(1);
    expect(down.stderr.trim()).toMatch(
      new RegExp(
        `^fundsim: PostgreSQL at postgres://fundsim:\\*\\*\\*@127\\.0\\.0\\.1:${port}/fundsim does not answer \\(.+\\); check that it runs and that FUNDSIM_STORE names it$`,
      ),
    );
    const unknown = start('mysql://db/fundsim');
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toMatch(/^fundsim: FUNDSIM_STORE="mysql:\/\/db\/fundsim" is not a store fundsim knows. Accepted forms:\n  sqlite:/);
    expect(unknown.stderr).not.toMatch(/ExceptionHandler|    at /);
    const replicaOfSqlite = spawnSync(process.execPath, [MAIN], {
      env: { ...process.env, PORT: '0', FUNDSIM_STORE: 'sqlite:./nowhere.db', FUNDSIM_STORE_READ: 'postgres://db/fundsim' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(replicaOfSqlite.status).toBe(1);
    expect(replicaOfSqlite.stderr.trim()).toBe(
      'fundsim: FUNDSIM_STORE_READ is a PostgreSQL read replica: it needs FUNDSIM_STORE=postgres://... (the primary), not sqlite',
    );
  }, 60_000);

  it('on SIGTERM stops taking requests, finishes those in flight, and loses no acknowledged write', async () => {
    const path = join(dir, 'shutdown.db');
    const keysFile = join(dir, 'shutdown-keys.json');
    const api = await startApi({ FUNDSIM_STORE: `sqlite:${path}`, FUNDSIM_DEMO: 'off', FUNDSIM_DEMO_KEYS: keysFile, FUNDSIM_REQUEST_LOG: 'off' });
    const keys = Object.fromEntries(
      (JSON.parse(readFileSync(keysFile, 'utf8')) as { subject: string | null; role: string; key: string }[]).map((k) => [k.subject ?? k.role, k.key]),
    );
    const post = (url: string, who: string, body: object) =>
      fetch(`${api.url}${url}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${keys[who]}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const { fundId: _fundId, ...terms } = establishUsJapanFund({ name: 'Shutdown', targetSize: '1000000000.00', hardCap: '1000000000.00' }).data;
    const establish = await post('/funds/usjp/establish', 'us-treasury', { effectiveDate: '2026-01-15', ...terms });
    expect(establish.status).toBe(201);
    expect((await post('/funds/usjp/acceptances', 'jp-mof', { effectiveDate: '2026-01-15' })).status).toBe(201);
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      api.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    // 400 commitments in flight; SIGTERM as soon as the first is answered.
    let signalled = false;
    const requests = Array.from({ length: 400 }, (_, i) =>
      post('/funds/usjp/commitments', 'retail-platform', {
        effectiveDate: '2026-04-02',
        lpId: `retail-us-${String(i).padStart(6, '0')}`,
        kind: 'retail',
        country: 'US',
        amount: '1000.00',
        currency: 'USD',
      }).then((response) => {
        if (!signalled) ((signalled = true), api.child.kill('SIGTERM'));
        return response.status;
      }),
    );
    const outcomes = await Promise.allSettled(requests);
    const t0 = Date.now();
    const { code, signal } = await exited;
    // Not held open by idle keep-alive connections (Fastify's keep-alive timeout is 72 s).
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(api.output()).not.toMatch(/Error|INTERNAL/);
    // Every request was answered 201 (and is in the log), or 503 (arrived while stopping: not
    // written), or never got in (connection refused): nothing written without an answer.
    const statuses = outcomes.filter((o): o is PromiseFulfilledResult<number> => o.status === 'fulfilled').map((o) => o.value);
    expect(statuses.filter((status) => status !== 201 && status !== 503)).toEqual([]);
    const answered = statuses.filter((status) => status === 201);
    expect(answered.length).toBeGreaterThan(0);
    const store = new SqliteEventStore(path);
    try {
      let committed = 0;
      for await (const _event of store.readAll({ eventTypes: ['CapitalCommitted'] })) committed++;
      expect(committed).toBe(answered.length);
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 120_000);
});

import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-main-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm start on a fresh machine', () => {
  it('creates the store, loads the demo fund because the store is empty, and says where it listens', async () => {
    const port = 30_000 + Math.floor(Math.random() * 20_000);
    const main = join(__dirname, '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
    const child = spawn(process.execPath, [main], { env: { ...process.env, PORT: String(port), FUNDSIM_STORE: `sqlite:${join(dir, 'data', 'fundsim.db')}` } });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no start in 60 s:\n${output}`)), 60_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('API docs')) (clearTimeout(timer), resolve());
        });
        child.on('exit', (code) => reject(new Error(`exited ${code}:\n${output}`)));
      });
      expect(output).toContain('The store is empty: loading the U.S.-Japan demo fund');
      expect(output).toMatch(/Loaded fund usjp: \d+ events, 3000 retail LPs\./);
      expect(output).toContain(`fundsim API listening on http://localhost:${port}`);
      expect(output).toContain(`API docs (OpenAPI) at http://localhost:${port}/docs`);
      // The demo's keys, in a file only its owner can read; without one, 401.
      const file = `${join(dir, 'data', 'fundsim.db')}.demo-keys.json`;
      expect(output).toContain(`written to ${file} (readable only by you)`);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const keys = JSON.parse(readFileSync(file, 'utf8')) as { role: string; subject: string; key: string }[];
      const auditor = keys.find((k) => k.role === 'auditor')!.key;
      expect((await fetch(`http://127.0.0.1:${port}/funds/usjp/balance-sheet?asOf=2030-12-31`)).status).toBe(401);
      const sheet = (await (await fetch(`http://127.0.0.1:${port}/funds/usjp/balance-sheet?asOf=2030-12-31`, { headers: { Authorization: `Bearer ${auditor}` } })).json()) as { commitments: { admitted: string } };
      expect(sheet.commitments.admitted).toBe('300000000000.00');
      expect((await fetch(`http://127.0.0.1:${port}/docs`)).status).toBe(200);
    } finally {
      child.kill();
    }
  }, 90_000);

  it('says in one line, without a stack, that the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    const { port } = blocker.address() as AddressInfo;
    const main = join(__dirname, '..', '..', '..', 'dist', 'apps', 'api', 'src', 'main.js');
    const run = spawnSync(process.execPath, [main], { env: { ...process.env, PORT: String(port), FUNDSIM_DEMO: 'off', FUNDSIM_STORE: `sqlite:${join(dir, 'busy.db')}` }, encoding: 'utf8', timeout: 30_000 });
    blocker.close();
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toBe(`fundsim: port ${port} on 127.0.0.1 is in use by another process; set PORT to a free one`);
  }, 60_000);
});

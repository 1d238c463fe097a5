import { ScenarioService } from '@fundsim/application';
import { CALLS_FUND, DISTRIBUTION_FUND } from '@fundsim/application/testing/notices-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './main';

/** `fundsim notice` on the hand-worked funds of libs/application/src/notices.int-spec.ts. */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-cli-notice-'));
const store = `sqlite:${join(dir, 'fundsim.db')}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, '--store', store], { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  const s = new SqliteEventStore(join(dir, 'fundsim.db'));
  await new ScenarioService(s).apply(JSON.stringify(CALLS_FUND));
  await new ScenarioService(s).apply(JSON.stringify(DISTRIBUTION_FUND));
  await s.close();
});

describe('fundsim notice', () => {
  it("prints a yen LP's call notice, in USD and yen", async () => {
    const { code, out } = await cli('notice', '--fund', 'nt', '--call', '1', '--lp', 'lp-j');
    expect(code).toBe(0);
    expect(out).toContain('Capital call notice no. 1');
    expect(out).toMatch(/^Amount due\s+105\.00\s+15,750$/m);
    expect(out).toMatch(/^ {2}for Fund expenses\s+2\.63\s+395$/m);
    expect(out).toMatch(/^Unfunded commitment after\s+895\.00\s+134,250$/m);
    expect(out).toContain('USD/JPY 150.00');
    expect(out).toContain('Called: 10.5% of the commitment');
    expect(out.split('\n').filter((l) => l.length > 120)).toEqual([]);
  });

  it("prints a distribution notice by tier, as JSON, and every LP's as JSON lines", async () => {
    const one = await cli('notice', '--fund', 'wf', '--distribution', '2', '--lp', 'lp-b', '--json');
    expect(JSON.parse(one.out)).toMatchObject({
      amount: '280.00',
      tiers: { returnOfCapital: '200.00', preferredReturn: '48.00', catchUp: '0.00', gain: '32.00' },
      carryWithheld: '20.00',
    });
    const all = await cli('notice', '--fund', 'nt', '--call', '2');
    expect(all.out.split('\n').map((l) => JSON.parse(l).amount)).toEqual(['200.00', '66.67', '200.00']);
  });

  it('writes a PDF that pdftotext reads back', async () => {
    const file = join(dir, 'notice.pdf');
    const { code, out } = await cli('notice', '--fund', 'nt', '--call', '1', '--lp', 'lp-b', '--pdf', file);
    expect(code).toBe(0);
    expect(out).toContain(`Wrote ${file}`);
    expect(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).toMatch(/Amount due\s+35\.00/);
  });

  it('refuses an unknown call (exit 2, not found) and a malformed command line (exit 2)', async () => {
    const unknown = await cli('notice', '--fund', 'nt', '--call', '7', '--lp', 'lp-a');
    expect([unknown.code, unknown.err]).toEqual([2, expect.stringContaining('has no capital call number 7')]);
    expect((await cli('notice', '--fund', 'nt', '--lp', 'lp-a')).code).toBe(2);
    expect((await cli('notice', '--fund', 'nt', '--call', '1', '--distribution', '1', '--lp', 'lp-a')).code).toBe(2);
  });
});

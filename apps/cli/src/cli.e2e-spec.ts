import { SqliteEventStore } from '@fundsim/event-store';
import { commitmentEvent } from '@fundsim/event-store/testing/fixtures';
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { americanExample } from '@fundsim/application/testing/waterfall-example';
import { WORKED_EXAMPLE_WATERFALL } from '@fundsim/domain/testing/fund-fixtures';
import { runCli } from './main';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-cli-'));
const path = join(dir, 'fundsim.db');
const store = `sqlite:${path}`;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  const seed = new SqliteEventStore(path);
  for (let i = 0; i < 3; i++) await seed.append(`lp-${i}`, [commitmentEvent(`lp-${i}`, '1000.00')]);
  await seed.close();
});

describe('fundsim CLI', () => {
  it('prints help listing every command, and help for each', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of [
      'demo',
      'apply',
      'simulate',
      'balance-sheet',
      'lp',
      'ilpa-statement',
      'register',
      'performance',
      'notice',
      'audit',
      'events',
      'verify',
      'copy',
      'keys',
      'serve',
    ]) {
      expect(help.out).toContain(name);
      const own = await cli(name, '--help');
      expect(own.code).toBe(0);
      expect(own.out).toContain(`Usage: fundsim ${name}`);
      expect(own.out.split('\n').filter((line) => line.length > 120)).toEqual([]);
    }
  });

  it('creates API keys (shown once), lists them and revokes them, in the name of the OS user', async () => {
    const store = `sqlite:${join(dir, 'keys.db')}`;
    const made = await cli('keys', 'create', '--role', 'manager', '--subject', 'jp-mof', '--json', '--store', store);
    expect(made.code).toBe(0);
    const key = JSON.parse(made.out) as { keyId: string; key: string; role: string; subject: string };
    expect(key).toMatchObject({ role: 'manager', subject: 'jp-mof', key: expect.stringMatching(/^fsk_[0-9a-f]{16}_/) });
    expect((await cli('keys', 'create', '--role', 'manager', '--store', store)).err).toMatch(/a manager key needs --subject/);
    expect((await cli('keys', 'create', '--role', 'root', '--store', store)).code).toBe(2);
    const list = await cli('keys', 'list', '--store', store);
    expect(list.out).toMatch(new RegExp(`${key.keyId}  manager  jp-mof .* by os:`));
    // The secret (which may itself hold '_') is never listed.
    expect(list.out).not.toContain(key.key.slice('fsk_'.length + 16 + 1));
    expect((await cli('keys', 'revoke', key.keyId, '--reason', 'rotated', '--store', store)).code).toBe(0);
    expect((await cli('keys', 'list', '--store', store)).out).toMatch(/revoked .* rotated/);
    expect((await cli('keys', 'revoke', key.keyId, '--store', store)).err).toMatch(/was revoked at/);
  });

  it('records who imported a scenario file, and the audit trail shows it beside each actor', async () => {
    const store = `sqlite:${join(dir, 'imported.db')}`;
    const scenarios = join(__dirname, '..', '..', '..', 'scenarios');
    for (const file of ['first-close.json', 'first-allocation.json']) expect((await cli('apply', join(scenarios, file), '--store', store)).code).toBe(0);
    const trail = await cli('audit', 'trail', 'al-stargate-1', '--fund', 'usjp', '--store', store);
    expect(trail.out).toMatch(/^\* from a scenario file imported by os:\S+$/m);
    expect(trail.out).toMatch(/us-treasury\* +AllocationProposed/);
    const imports = await cli('events', '--stream', 'imports-usjp', '--json', '--store', store);
    expect(JSON.parse(imports.out).events.map((e: { data: { fromPosition: number; toPosition: number } }) => [e.data.fromPosition, e.data.toPosition])).toEqual(
      [
        [1, 9],
        [11, expect.any(Number)],
      ],
    );
  });

  it('rejects an unknown command or option in one line, with a suggestion, and exit code 2', async () => {
    const command = await cli('evnets');
    expect(command).toMatchObject({ code: 2, err: "fundsim: unknown command 'evnets' (did you mean 'events'?); 'fundsim --help' lists them" });
    const bad = await cli('events', '--limt', '5', '--store', store);
    expect(bad).toMatchObject({ code: 2, err: "fundsim events: unknown option '--limt' (did you mean '--limit'?); 'fundsim help events' shows its options" });
    expect((await cli('events', '--nope', '--store', store)).err).toBe("fundsim events: unknown option '--nope'; 'fundsim help events' shows its options");
    expect((await cli('register', '--fund', 'usjp', '--as-of', '2026-12-31', '--json', '--csv', '--store', store)).err).toBe(
      'fundsim register: --json and --csv cannot be given together',
    );
    expect(await cli('events', '--limit', '5000', '--store', store)).toMatchObject({
      code: 2,
      err: 'fundsim: --limit must be at most 1000 (page on with --from)',
    });
  });

  it('has --version and help <command>, takes negative numbers as values, and documents its exit codes', async () => {
    expect((await cli('--version')).out).toMatch(/^fundsim \d+\.\d+\.\d+$/);
    // Alone, it guides to the three jobs, with commands that run as they are on the demo.
    const guide = await cli();
    expect(guide.code).toBe(0);
    for (const job of ['Simulate a retail LP commitment', 'Replay the books to a date', 'Audit the allocation log', 'fundsim demo'])
      expect(guide.out).toContain(job);
    const help = await cli('help', 'simulate');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: fundsim simulate');
    // A negative amount reaches the rules (refused: exit 1), not the option parser.
    const negative = await cli('simulate', '--fund', 'usjp', '--amount', '-10', '--currency', 'USD', '--date', '2026-12-31', '--store', store);
    expect(negative.err).not.toMatch(/ambiguous/);
    expect([1, 2]).toContain(negative.code);
  });

  it('never creates a store for a read, and names the file it did not find', async () => {
    const missing = join(dir, 'elsewhere', 'fundsim.db');
    const read = await cli('balance-sheet', '--fund', 'usjp', '--as-of', '2026-12-31', '--store', `sqlite:${missing}`);
    expect(read.code).toBe(2);
    expect(read.err).toContain(`no store at ${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it('writes output of any size whole to a pipe before it exits', () => {
    const big = join(dir, 'big.db');
    const seed = new Database(big);
    seed.close();
    const main = join(__dirname, '..', '..', '..', 'dist', 'apps', 'cli', 'src', 'main.js');
    const write = spawnSync(process.execPath, [main, 'demo', '--retail-lps', '6000', '--store', `sqlite:${big}`], { encoding: 'utf8' });
    expect(write.status).toBe(0);
    // A slow reader on the other end of the pipe: the writer must not exit before it drained.
    const piped = spawnSync(
      'sh',
      [
        '-c',
        `node ${main} audit export --fund usjp --format jsonl --store sqlite:${big} | (sleep 1; cat) | wc -c; node ${main} register --fund usjp --as-of 2030-12-31 --csv --store sqlite:${big} | (sleep 1; cat) | tail -n 1`,
      ],
      { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
    );
    const [bytes, lastRow] = piped.stdout.trim().split('\n');
    expect(Number(bytes)).toBeGreaterThan(2 * 2 ** 20);
    const full = spawnSync(process.execPath, [main, 'audit', 'export', '--fund', 'usjp', '--format', 'jsonl', '--store', `sqlite:${big}`], {
      encoding: 'utf8',
      maxBuffer: 64 * 2 ** 20,
    });
    expect(Number(bytes)).toBe(Buffer.byteLength(full.stdout));
    for (const line of full.stdout.trim().split('\n')) JSON.parse(line);
    expect(lastRow.split(',').length).toBeGreaterThan(5);
  }, 120_000);

  it('lists the log as a table and as JSON', async () => {
    const table = await cli('events', '--store', store);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[0]).toMatch(/^POSITION\s+STREAM\s+REV\s+TYPE\s+EFFECTIVE\s+ACTOR$/);
    expect(table.out).toContain('lp-2');
    const json = JSON.parse((await cli('events', '--json', '--limit', '2', '--store', store)).out);
    expect(json.events).toHaveLength(2);
    expect(json.nextPosition).toBe(3);
  });

  it('verifies the chain, and exits 1 naming the position after tampering', async () => {
    const ok = await cli('verify', '--store', store);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toMatch(/^OK: 3 events, head hash [0-9a-f]{64}$/);
    const db = new Database(path);
    db.prepare(`UPDATE events SET actor = 'mallory' WHERE position = 2`).run();
    db.close();
    const broken = await cli('verify', '--store', store);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^BROKEN at position 2 \(lp-1 revision 0\)/);
  });

  it('applies a scenario file, and exits 1 naming the rejected command when one breaks a rule', async () => {
    const scenarioStore = `sqlite:${join(dir, 'scenario.db')}`;
    const scenarios = join(__dirname, '..', '..', '..', 'scenarios');
    const ok = await cli('apply', join(scenarios, 'first-close.json'), '--store', scenarioStore);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Applied 9 commands .* 9 events written \(positions 1-9\)/);
    const bad = await cli('apply', join(scenarios, 'bad-call.json'), '--store', scenarioStore);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^Command 1 \(CallCapital\) rejected: CALL_EXCEEDS_COMMITMENTS: .* Nothing was written\.$/);
    expect((await cli('events', '--json', '--store', scenarioStore)).out).toContain('"CapitalCalled"');
    const missing = await cli('apply', join(scenarios, 'no-such-file.json'), '--store', scenarioStore);
    expect(missing.code).toBe(2);
    const sheet = await cli('balance-sheet', '--fund', 'usjp', '--as-of', '2026-07-15', '--store', scenarioStore);
    expect(sheet.out).toMatch(/Contributions receivable\s+20,000,002,000\.00/);
    const json = JSON.parse((await cli('balance-sheet', '--fund', 'usjp', '--as-of', '2026-08-01', '--json', '--store', scenarioStore)).out);
    expect(json.assets).toMatchObject({ cash: '20000002000.00', contributionsReceivable: '0.00' });
    // Left out, --as-of is the books' latest date and --fund the store's one fund, each said first; two funds need --fund.
    const latest = await cli('balance-sheet', '--store', scenarioStore);
    expect([latest.code, latest.out.split('\n')[0]]).toEqual([
      0,
      expect.stringMatching(/^\(--as-of (\d{4}-\d{2}-\d{2}): the latest date in the books of usjp; give --as-of for another\)$/),
    ]);
    const date = /--as-of (\S+):/.exec(latest.out)![1];
    expect(latest.out.split('\n')[1]).toBe(`Balance sheet as of ${date} (USD)`);
    expect(JSON.parse((await cli('balance-sheet', '--json', '--store', scenarioStore)).out).asOf).toBe(date);
    const other = join(dir, 'other-fund.json');
    writeFileSync(other, readFileSync(join(scenarios, 'first-close.json'), 'utf8').replace('"fundId": "usjp"', '"fundId": "other"'));
    const twoFunds = `sqlite:${join(dir, 'two-funds.db')}`;
    for (const file of [join(scenarios, 'first-close.json'), other]) expect((await cli('apply', file, '--store', twoFunds)).code).toBe(0);
    expect(await cli('balance-sheet', '--store', twoFunds)).toMatchObject({ code: 2, err: 'fundsim: --fund is needed: the store holds 2 funds (usjp, other)' });

    // The same scenario's LP accounts, register and performance; the table and --json agree.
    const lp = await cli('lp', 'retail-jp-000001', '--fund', 'usjp', '--as-of', '2026-12-31', '--store', scenarioStore);
    expect(lp.out).toMatch(/Ending NAV\s+1,000\.00/);
    expect(lp.out).toMatch(/^JPY\s+150,000\s/m);
    const lpJson = JSON.parse((await cli('lp', 'retail-jp-000001', '--fund', 'usjp', '--as-of', '2026-12-31', '--json', '--store', scenarioStore)).out);
    expect(lpJson.rollForward).toMatchObject({ contributions: '1000.00', endingNav: '1000.00' });
    expect((await cli('lp', 'nobody', '--fund', 'usjp', '--as-of', '2026-12-31', '--store', scenarioStore)).err).toMatch(
      /LP nobody has no admitted commitment/,
    );
    const csv = (await cli('register', '--fund', 'usjp', '--as-of', '2026-12-31', '--csv', '--store', scenarioStore)).out.split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[4]).toBe('us-gov,sovereign,US,USD,110000000000.00,11000000000.00,11000000000.00,0.5499999450');
    const register = await cli('register', '--fund', 'usjp', '--as-of', '2026-12-31', '--limit', '2', '--store', scenarioStore);
    expect(register.out).toMatch(/4 LPs, net assets 20,000,002,000\.00 USD/);
    expect(register.out).toMatch(/2 more \(--offset 2/);
    const performance = JSON.parse((await cli('performance', '--fund', 'usjp', '--as-of', '2026-12-31', '--json', '--store', scenarioStore)).out);
    expect(performance.withFacility).toMatchObject({ paidIn: '20000002000.00', tvpi: '1.0000' });
    const ilpa = (await cli('ilpa-statement', 'us-gov', '--fund', 'usjp', '--as-of', '2026-12-31', '--csv', '--store', scenarioStore)).out.split('\n');
    expect(ilpa.slice(0, 2)).toEqual(['line,period,year_to_date,inception_to_date', 'from_date,2026-10-01,2026-01-01,']);
    expect(ilpa).toContain('contributions,0.00,11000000000.00,11000000000.00');
    expect((await cli('ilpa-statement', 'us-gov', '--fund', 'usjp', '--as-of', '2026-12-31', '--store', scenarioStore)).out).toMatch(
      /^Contributions +0\.00 +11,000,000,000\.00 +11,000,000,000\.00$/m,
    );
  });

  it("prints an American waterfall's per-deal ledger (the hand-worked case of docs/accounting.md)", async () => {
    const file = join(dir, 'american.json');
    writeFileSync(file, JSON.stringify(americanExample({ ...WORKED_EXAMPLE_WATERFALL, style: 'american' })));
    const americanStore = `sqlite:${join(dir, 'american.db')}`;
    expect((await cli('apply', file, '--store', americanStore)).code).toBe(0);
    const { code, out } = await cli('waterfall', '--fund', 'us', '--as-of', '2027-12-31', '--store', americanStore);
    expect(code).toBe(0);
    expect(out).toContain("Net assets 200.00 = the LPs' 260.00 + the managers' accrued carry -60.00");
    const deals = out.split('\n').filter((line) => /^(DEAL|grid|chips|\(no deal\))/.test(line));
    expect(deals.map((line) => line.split(/ {2,}/))).toEqual([
      ['DEAL', 'FUNDED', 'HELD AT', 'WRITTEN DOWN', 'PROCEEDS', 'DISTRIBUTED', 'CAPITAL', 'PREFERRED', 'CATCH-UP', 'CARRY: LPs / MANAGERS'],
      ['grid', '500.00', '0.00', '0.00', '900.00', '900.00', '500.00', '80.00', '20.00', '240.00 / 60.00'],
      ['chips', '500.00', '200.00', '300.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00 / 0.00'],
      ['(no deal)', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00', '0.00 / 0.00'],
    ]);
    expect(out.split('\n').filter((line) => line.length > 120)).toEqual([]);
  });

  it('runs as the installed `fundsim` binary (bin entry, compiled by npm install)', () => {
    const bin = join(__dirname, '..', '..', '..', 'bin', 'fundsim.js');
    const help = execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help).toContain('Usage: fundsim <command>');
    const bad = spawnSync(process.execPath, [bin, 'events'], { encoding: 'utf8', env: { ...process.env, FUNDSIM_STORE: 'nonsense' } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Accepted forms');
  });

  it('audits a fund: allocations, a trail, compliance, exports; audit verify exits 1 naming the altered event', async () => {
    const auditStore = `sqlite:${join(dir, 'audit.db')}`;
    const scenarios = join(__dirname, '..', '..', '..', 'scenarios');
    expect((await cli('apply', join(scenarios, 'first-close.json'), '--store', auditStore)).code).toBe(0);
    const file = join(dir, 'allocation.json');
    const at = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });
    writeFileSync(
      file,
      JSON.stringify({
        fundId: 'usjp',
        commands: [
          {
            type: 'RegisterProject',
            ...at('us-treasury', '2026-08-01'),
            projectId: 'stargate',
            name: 'Stargate',
            sector: 'ai-infrastructure',
            partners: ['OpenAI'],
            totalProjectSize: '500000000000.00',
          },
          { type: 'ProposeAllocation', ...at('us-treasury', '2026-08-01'), allocationId: 'al-stargate', projectId: 'stargate', amount: '10000000000.00' },
          { type: 'ApproveAllocation', ...at('jp-mof', '2026-08-02'), allocationId: 'al-stargate' },
          { type: 'FundProject', ...at('us-treasury', '2026-08-03'), allocationId: 'al-stargate', amount: '5000000000.00' },
        ],
      }),
    );
    expect((await cli('apply', file, '--store', auditStore)).code).toBe(0);
    const list = await cli('audit', 'allocations', '--fund', 'usjp', '--store', auditStore);
    expect(list.out).toMatch(/al-stargate\s+stargate\s+10,000,000,000\.00\s+committed\s+us-treasury\+jp-mof\s+5,000,000,000\.00\s+0$/m);
    const trail = await cli('audit', 'trail', 'al-stargate', '--fund', 'usjp', '--store', auditStore);
    expect(trail.out).toMatch(/AllocationCommitted\s+10,000,000,000\.00 binding/);
    const compliance = JSON.parse((await cli('audit', 'compliance', '--fund', 'usjp', '--json', '--store', auditStore)).out);
    expect(compliance).toMatchObject({ checkedEvents: 2, breaches: 0 });
    const jsonl = (await cli('audit', 'export', '--fund', 'usjp', '--store', auditStore)).out.split('\n');
    expect(jsonl).toHaveLength(14);
    expect(JSON.parse(jsonl[13]).type).toBe('ProjectFunded');
    expect((await cli('audit', 'export', '--fund', 'usjp', '--format', 'xml', '--store', auditStore)).code).toBe(2);
    expect((await cli('audit', 'frobnicate', '--fund', 'usjp', '--store', auditStore)).code).toBe(2);

    // 14 events of the two files, and the record of each import.
    expect((await cli('audit', 'verify', '--fund', 'usjp', '--store', auditStore)).out).toMatch(/^OK: 16 events, head hash [0-9a-f]{64}$/);
    const db = new Database(join(dir, 'audit.db'));
    db.prepare(`UPDATE events SET data = replace(data, '5000000000.00', '500000000.00') WHERE position = 15`).run();
    db.close();
    const broken = await cli('audit', 'verify', '--fund', 'usjp', '--store', auditStore);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/^BROKEN at position 15 \(fund-usjp revision \d+\): the stored hash does not match/);
  });

  it('loads the demo fund into a store, refuses to load it twice, and writes it as a scenario file', async () => {
    const demoStore = `sqlite:${join(dir, 'demo.db')}`;
    const loaded = await cli('demo', '--retail-lps', '40', '--store', demoStore);
    expect(loaded.code).toBe(0);
    expect(loaded.out).toMatch(/^Loaded the demo fund usjp: \d+ commands, \d+ events \(positions 1-\d+\), 40 retail LPs\.$/);
    const again = await cli('demo', '--retail-lps', '40', '--store', demoStore);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds a fund "usjp"/);
    const file = join(dir, 'demo.json');
    expect((await cli('demo', '--retail-lps', '40', '--write', file)).out).toMatch(/^Wrote \d+ commands of fund usjp to /);
    const applied = await cli('apply', file, '--store', `sqlite:${join(dir, 'demo-from-file.db')}`);
    expect(applied.code).toBe(0);
    // The same history either way, to the hash; the import adds only the record of who imported it.
    const hashAt = async (path: string, position: number) =>
      new Database(path, { readonly: true }).prepare('SELECT hash FROM events WHERE position = ?').pluck().get(position);
    const demoHead = JSON.parse((await cli('verify', '--json', '--store', demoStore)).out) as { headHash: string; count: number };
    expect(await hashAt(join(dir, 'demo-from-file.db'), demoHead.count)).toBe(demoHead.headHash);
    const imported = JSON.parse((await cli('events', '--stream', 'imports-usjp', '--json', '--store', `sqlite:${join(dir, 'demo-from-file.db')}`)).out).events;
    expect(imported.map((e: { data: { fromPosition: number; toPosition: number } }) => [e.data.fromPosition, e.data.toPosition])).toEqual([
      [1, demoHead.count],
    ]);

    // Copied into another (empty) store: the copy checks out, and its books are the same.
    const copyStore = `sqlite:${join(dir, 'demo-copy.db')}`;
    const copied = await cli('copy', '--to', copyStore, '--store', demoStore);
    expect(copied.code).toBe(0);
    expect(copied.out).toMatch(
      /^Copied \d+ events of \d+ streams from sqlite:.*demo\.db to sqlite:.*demo-copy\.db\.\nThe copy verifies \(head hash [0-9a-f]{64}\) and reads back event for event as the source\.$/,
    );
    const sheetOf = async (store: string) => (await cli('balance-sheet', '--fund', 'usjp', '--as-of', '2035-12-31', '--store', store)).out;
    expect(await sheetOf(copyStore)).toBe(await sheetOf(demoStore));
    const twice = await cli('copy', '--to', copyStore, '--store', demoStore);
    expect([twice.code, twice.err]).toEqual([2, expect.stringContaining('already holds events: a log is copied only into an empty store')]);
    expect((await cli('copy', '--store', demoStore)).code).toBe(2);

    // Every table and line fits 120 columns (wider details wrap, or are in --json).
    const reads = [
      ['balance-sheet', '--fund', 'usjp', '--as-of', '2030-12-31'],
      ['performance', '--fund', 'usjp', '--as-of', '2035-12-31'],
      ['register', '--fund', 'usjp', '--as-of', '2030-12-31'],
      ['lp', 'retail-jp-000001', '--fund', 'usjp', '--as-of', '2030-12-31'],
      ['lp', 'jp-gov', '--fund', 'usjp', '--as-of', '2035-12-31', '--from', '2030-01-01'],
      ['audit', 'allocations', '--fund', 'usjp'],
      ['audit', 'trail', 'al-stargate-1', '--fund', 'usjp'],
      ['audit', 'compliance', '--fund', 'usjp'],
      ['audit', 'verify', '--fund', 'usjp'],
      ['events', '--limit', '500'],
      ['verify'],
      ['simulate', '--fund', 'usjp', '--amount', '1500000', '--currency', 'JPY', '--date', '2027-06-30', '--paths', '200'],
      ['waterfall', '--fund', 'usjp', '--as-of', '2035-12-31'],
      ['revenue', '--fund', 'usjp', '--manager', 'jp-mof', '--to', '2035-12-31', '--currency', 'JPY'],
      ['revenue', '--fund', 'usjp', '--manager', 'us-treasury', '--to', '2035-12-31'],
      ['simulate-fund', '--fund', 'usjp', '--from', '2028-12-31', '--paths', '200', '--lp', 'jp-gov', '--scenario', 'bear'],
    ];
    for (const argv of reads) {
      const { code, out } = await cli(...argv, '--store', demoStore);
      expect([argv.join(' '), code]).toEqual([argv.join(' '), 0]);
      expect([argv.join(' '), out.split('\n').filter((line) => line.length > 120)]).toEqual([argv.join(' '), []]);
    }

    // The guide's commands (`fundsim` alone) run as they are on the demo.
    const guided = [...(await cli()).out.matchAll(/ {2,}fundsim ([a-z].*)$/gm)].map((m) => m[1].split(' ')).filter((argv) => argv[0] !== 'demo');
    expect(guided.length).toBe(5);
    for (const argv of guided) expect([argv.join(' '), (await cli(...argv, '--store', demoStore)).code]).toEqual([argv.join(' '), 0]);

    // The net transfer: each government's total paid as an LP against received as manager, the net their difference, as --json says.
    const money = (cents: bigint) =>
      `${cents < 0n ? '-' : ''}${(cents < 0n ? -cents : cents) / 100n}`.replace(/\B(?=(\d{3})+(?!\d))/g, ',') +
      `.${String((cents < 0n ? -cents : cents) % 100n).padStart(2, '0')}`;
    const cents = (text: string) => BigInt(text.replace('.', ''));
    for (const manager of ['us-treasury', 'jp-mof']) {
      const args = ['revenue', '--fund', 'usjp', '--manager', manager, '--to', '2035-12-31', '--store', demoStore];
      const usd = (JSON.parse((await cli(...args, '--json')).out) as { transfer: { total: { usd: Record<string, Record<string, string> | string> } } }).transfer
        .total.usd;
      const paid = cents((usd.paidAsLp as Record<string, string>).feesAndCarry);
      const received = cents((usd.receivedAsManager as Record<string, string>).total);
      expect(cents(usd.net as string)).toBe(received - paid);
      const total = (await cli(...args)).out
        .split('\n')
        .filter((line) => line.startsWith('Total'))
        .pop()!;
      expect(total.split(/\s{2,}/).slice(3, 6)).toEqual([money(paid), money(received), money(received - paid)]);
    }
  }, 60_000);
});

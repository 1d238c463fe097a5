import { SqliteEventStore } from '@fundsim/event-store';
import { collect } from '@fundsim/event-store/testing/event-store.contract';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScenarioFormatError, ScenarioRejectedError, ScenarioService } from './scenario';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-scenario-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const scenario = (name: string) => readFileSync(join(__dirname, '..', '..', '..', '..', 'scenarios', name), 'utf8');
let n = 0;

describe('scenario files over SQLite', () => {
  it('applies a scenario in one write, with the positions its close refers to, and books it once', async () => {
    const store = new SqliteEventStore(join(dir, `s-${++n}.db`));
    const service = new ScenarioService(store);
    const result = await service.apply(scenario('first-close.json'));
    expect(result).toEqual({ fundId: 'usjp', commands: 9, eventsWritten: 9, fromPosition: 1, toPosition: 9 });
    const [close] = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
    // The close admitted the four commitments, at positions 3 to 6 of the real log.
    expect(close.data).toMatchObject({ throughPosition: 6, pendingCount: 4, admittedUsd: '200000020000.00' });
    const [call] = await collect(store.readAll({ eventTypes: ['CapitalCalled'] }));
    expect(call.data).toMatchObject({ percentage: '0.10', dueDate: '2026-07-31', totalUsd: '20000002000.00', lpCount: 4 });
    expect((await store.verify()).ok).toBe(true);
    expect((await service.apply(scenario('first-close.json'))).eventsWritten).toBe(0);
    expect(await store.headPosition()).toBe(9);
    await store.close();
  });

  it('writes nothing at all when a command in the middle is rejected: the store files are byte-identical', async () => {
    const path = join(dir, `s-${++n}.db`);
    const store = new SqliteEventStore(path);
    const service = new ScenarioService(store);
    await service.apply(scenario('first-close.json'));
    const files = () => [path, `${path}-wal`].map((f) => (existsSync(f) ? readFileSync(f) : Buffer.alloc(0)));
    const before = files();
    const failure = service.apply(scenario('bad-call.json'));
    await expect(failure).rejects.toBeInstanceOf(ScenarioRejectedError);
    await expect(failure).rejects.toMatchObject({ index: 1, type: 'CallCapital', code: 'CALL_EXCEEDS_COMMITMENTS' });
    expect(files().every((bytes, i) => bytes.equals(before[i]))).toBe(true);
    await store.close();
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no fund id', '{"commands":[]}', /fundId/],
    ['no commands', '{"fundId":"usjp","commands":[]}', /non-empty "commands"/],
    [
      'an unknown type',
      '{"fundId":"usjp","commands":[{"type":"Frobnicate","effectiveDate":"2026-01-01","actor":"a"}]}',
      /Command 0 has unknown type "Frobnicate"/,
    ],
    [
      'the type "constructor"',
      '{"fundId":"usjp","commands":[{"type":"constructor","effectiveDate":"2026-01-01","actor":"a"}]}',
      /Command 0 has unknown type "constructor"/,
    ],
    [
      'the type "__proto__"',
      '{"fundId":"usjp","commands":[{"type":"__proto__","effectiveDate":"2026-01-01","actor":"a"}]}',
      /Command 0 has unknown type "__proto__"/,
    ],
    [
      'a stray field',
      '{"fundId":"usjp","commands":[{"type":"HoldClose","effectiveDate":"2026-01-01","actor":"a","amount":"1"}]}',
      /Command 0 \(HoldClose\) has fields HoldClose does not take: amount/,
    ],
    ['no actor', '{"fundId":"usjp","commands":[{"type":"HoldClose","effectiveDate":"2026-01-01"}]}', /needs "actor"/],
  ])('refuses a file with %s before deciding anything', async (_name, text, message) => {
    const store = new SqliteEventStore(join(dir, `s-${++n}.db`));
    const failure = new ScenarioService(store).apply(text);
    await expect(failure).rejects.toBeInstanceOf(ScenarioFormatError);
    await expect(failure).rejects.toThrow(message);
    expect(await store.headPosition()).toBe(0);
    await store.close();
  });

  describe('on a store others write to meanwhile', () => {
    const commitment = (fundId: string, lpId: string) => ({
      type: 'CapitalCommitted',
      data: { fundId, lpId, kind: 'retail', country: 'US', amount: '5000.00', currency: 'USD', amountUsd: '5000.00' },
      metadata: { actor: 'retail-platform', effectiveDate: '2026-04-03' },
    });

    it("moves the batch behind other funds' events, the close's throughPosition with it", async () => {
      const path = join(dir, `s-${++n}.db`);
      const store = new SqliteEventStore(path);
      const other = new SqliteEventStore(path);
      let interleaved = false;
      const result = await new ScenarioService(store).apply(scenario('first-close.json'), async (done) => {
        if (done !== 4 || interleaved) return;
        interleaved = true;
        // Another process writes three events of another fund while this one decides.
        for (let i = 0; i < 3; i++) await other.append(`fund-other.lp-x${i}`, [commitment('other', `x${i}`)]);
      });
      expect(result).toEqual({ fundId: 'usjp', commands: 9, eventsWritten: 9, fromPosition: 4, toPosition: 12 });
      const [close] = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
      const commitments = await collect(store.readAll({ streamPrefix: 'fund-usjp.lp-' }));
      expect(commitments.map((e) => e.position)).toEqual([6, 7, 8, 9]);
      expect(close.data).toMatchObject({ throughPosition: 9, pendingCount: 4, admittedUsd: '200000020000.00' });
      expect((await store.verify()).ok).toBe(true);
      await other.close();
      await store.close();
    });

    it("decides again when the fund's own log changed, and writes the file once, whole", async () => {
      const path = join(dir, `s-${++n}.db`);
      const store = new SqliteEventStore(path);
      const service = new ScenarioService(store);
      await service.apply(scenario('first-close.json'));
      const other = new SqliteEventStore(path);
      let writes = 0;
      const file = JSON.stringify({
        fundId: 'usjp',
        commands: [
          {
            type: 'CommitCapital',
            effectiveDate: '2026-08-01',
            actor: 'retail-platform',
            lpId: 'late-1',
            kind: 'retail',
            country: 'US',
            amount: '7000.00',
            currency: 'USD',
          },
          { type: 'HoldClose', effectiveDate: '2026-08-02', actor: 'jp-mof' },
        ],
      });
      const result = await service.apply(file, async (done) => {
        // An LP of this fund commits while the first two attempts decide: both are decided again.
        if (done === 1 && writes < 2)
          await other.append(`fund-usjp.lp-live-${++writes}`, [
            { ...commitment('usjp', `live-${writes}`), metadata: { actor: 'retail-platform', effectiveDate: '2026-08-01' } },
          ]);
      });
      expect(writes).toBe(2);
      expect(result).toMatchObject({ commands: 2, eventsWritten: 2 });
      const closes = await collect(store.readAll({ eventTypes: ['CloseHeld'] }));
      expect(closes).toHaveLength(2);
      // The close saw both live commitments as well as its own.
      expect(closes[1].data).toMatchObject({ closeNumber: 2, pendingCount: 3, admittedUsd: '17000.00' });
      expect((await collect(store.readAll({ streamPrefix: 'fund-usjp.lp-late-1' }))).length).toBe(1);
      expect((await store.verify()).ok).toBe(true);
      await other.close();
      await store.close();
    });
  });
});

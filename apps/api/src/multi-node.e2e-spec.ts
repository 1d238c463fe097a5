import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { openEventStore, type EventStore, type StoredEvent } from '@fundsim/event-store';
import { postgresForTests, type PostgresForTests } from '@fundsim/event-store/testing/postgres-cluster';
import Decimal from 'decimal.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, startNodes, type Answer, type Node } from './testing/nodes';

/**
 * Three API processes (dist/apps/api/src/main.js) on one PostgreSQL log (a throwaway cluster, or
 * FUNDSIM_PG_URL), taking concurrent commands for one fund and the same LPs over HTTP. A node
 * that loses a race on a stream's revision catches up and decides again, so every refusal is a
 * rule's (422 with its code, never a 409), every acknowledged command is in the log exactly once,
 * and the nodes' books agree; one node killed with SIGKILL loses nothing it acknowledged.
 */
const FUND = '/funds/usjp';
const dir = mkdtempSync(join(tmpdir(), 'fundsim-nodes-'));
let server: PostgresForTests;
let nodes: Node[];
let log: EventStore;

/** Every request sent, by command id (`<subject>:<key>`), with each node's answer (undefined: none came). */
const sent = new Map<string, { answers: (Answer | undefined)[]; lpId?: string; currency?: string }>();

async function command(
  node: Node,
  route: string,
  who: string,
  key: string,
  body: object,
  about: { lpId?: string; currency?: string } = {},
): Promise<Answer | undefined> {
  const id = `${who}:${key}`;
  const entry = sent.get(id) ?? { answers: [], ...about };
  sent.set(id, entry);
  const answer = await node.post(`${FUND}/${route}`, who, body, key).catch(() => undefined);
  entry.answers.push(answer);
  return answer;
}

const commitment = (lpId: string, amount: string, currency: string, effectiveDate: string) => ({
  effectiveDate,
  lpId,
  kind: 'retail',
  country: 'US',
  amount,
  currency,
});
const accepted = (a: Answer | undefined) => a !== undefined && (a.status === 201 || a.status === 200);

beforeAll(async () => {
  server = await postgresForTests();
  const url = new URL(server.url);
  url.searchParams.set('schema', `nodes_${process.pid}`);
  nodes = await startNodes(url.toString(), 3, join(dir, 'keys.json'));
  log = openEventStore(url.toString());
}, 120_000);

afterAll(async () => {
  await Promise.all((nodes ?? []).map((n) => n.api.stop()));
  await log?.close();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('three API nodes on one PostgreSQL log', () => {
  const [A, B, C] = [0, 1, 2];

  it('sets up a fund through one node with 50,000.00 of cash', async () => {
    const { fundId: _fundId, ...terms } = establishUsJapanFund({ name: 'Nodes', targetSize: '100000000.00', hardCap: '100000000.00' }).data;
    const setup: [string, string, object][] = [
      ['establish', 'us-treasury', { effectiveDate: '2026-01-15', ...terms }],
      ['acceptances', 'jp-mof', { effectiveDate: '2026-01-15' }],
      ['fx-rates', 'market-data', { effectiveDate: '2026-03-31', pair: 'USD/JPY', rate: '150.00' }],
      ['commitments', 'us-treasury', { ...commitment('us-gov', '500000.00', 'USD', '2026-04-01'), kind: 'sovereign' }],
      ['closes', 'jp-mof', { effectiveDate: '2026-06-30' }],
      ['capital-calls', 'us-treasury', { effectiveDate: '2026-07-01', percentage: '0.10' }],
    ];
    for (const [route, who, body] of setup) expect(await command(nodes[A], route, who, `setup-${route}`, body)).toMatchObject({ status: 201 });
    const sheet = await nodes[C].get<{ assets: { cash: string } }>(`${FUND}/balance-sheet?asOf=2026-07-01`);
    expect(sheet.assets.cash).toBe('50000.00');
  }, 30_000);

  it('takes concurrent commitments for the same LPs and expenses out of the same cash on every node: each rule holds across them', async () => {
    const t0 = Date.now();
    const requests: Promise<unknown>[] = [];
    // 12 LPs, 18 commitments each (6 per node): nodes A and B in USD, node C in yen for the even
    // LPs. An LP keeps its first currency and has at most 10 commitments pending.
    const lps = Array.from({ length: 12 }, (_, i) => `lp-${String(i).padStart(2, '0')}`);
    lps.forEach((lpId, l) => {
      for (let n = 0; n < 3; n++) {
        for (let j = 0; j < 6; j++) {
          const yen = n === C && l % 2 === 0;
          const [amount, currency] = yen ? ['150000', 'JPY'] : ['1000.00', 'USD'];
          const body = commitment(lpId, amount, currency, '2026-08-01');
          const key = `c-${lpId}-${n}-${j}`;
          requests.push(command(nodes[n], 'commitments', 'retail-platform', key, body, { lpId, currency }));
          // The same request again on the next node (a client retrying elsewhere): one booking.
          if (j === 0) requests.push(command(nodes[(n + 1) % 3], 'commitments', 'retail-platform', key, body, { lpId, currency }));
        }
      }
    });
    // 75 expenses of 1,000.00 against 50,000.00 of cash: 50 are booked, wherever they are sent.
    for (let i = 0; i < 75; i++) {
      const who = i % 2 === 0 ? 'us-treasury' : 'jp-mof';
      const body = { effectiveDate: '2026-08-01', amount: '1000.00', description: `expense ${i}` };
      requests.push(command(nodes[i % 3], 'expenses', who, `e-${i}`, body));
      if (i % 5 === 0) requests.push(command(nodes[(i + 1) % 3], 'expenses', who, `e-${i}`, body));
    }
    await Promise.all(requests);
    console.log(`multi-node: ${requests.length} concurrent commands on three nodes in ${Date.now() - t0} ms`);

    const refusals = [...sent.values()].flatMap((s) => s.answers).filter((a) => !accepted(a));
    // Every refusal is a rule's: 422 with its code; never a lost race (409), never a 5xx.
    expect(new Set(refusals.map((a) => `${a?.status} ${a?.body.code}`))).toEqual(
      new Set(['422 UNSUPPORTED_CURRENCY', '422 TOO_MANY_PENDING_COMMITMENTS', '422 INSUFFICIENT_CASH']),
    );
    // A request answered by two nodes got one answer: booked (201 on one, 200 on the other) or refused by both.
    for (const [id, { answers }] of sent) {
      if (answers.length < 2) continue;
      const statuses = answers.map((a) => a!.status).sort();
      expect([id, statuses]).toEqual([id, statuses[0] === 422 ? [422, 422] : [200, 201]]);
    }
    for (const lpId of lps) {
      const mine = [...sent.values()].filter((s) => s.lpId === lpId);
      const booked = mine.filter((s) => s.answers.some(accepted));
      const currencies = new Set(booked.map((s) => s.currency));
      expect([lpId, currencies.size]).toEqual([lpId, 1]);
      const [currency] = currencies;
      // As many as the rule lets through: all those in its currency, up to 10.
      expect([lpId, booked.length]).toEqual([lpId, Math.min(10, mine.filter((s) => s.currency === currency).length)]);
      for (const s of mine.filter((s) => !s.answers.some(accepted)))
        expect(s.answers[0]!.body.code).toEqual(
          s.currency === currency ? 'TOO_MANY_PENDING_COMMITMENTS' : expect.stringMatching(/UNSUPPORTED_CURRENCY|TOO_MANY/),
        );
    }
    const expenses = [...sent].filter(([id]) => /:e-\d+$/.test(id));
    expect(expenses.filter(([, s]) => s.answers.some(accepted))).toHaveLength(50);
    for (const node of nodes) expect((await node.get<{ assets: { cash: string } }>(`${FUND}/balance-sheet?asOf=2026-08-01`)).assets.cash).toBe('0.00');
  }, 60_000);

  it('answers a close sent to all three nodes under one key once, the same close everywhere, while commitments keep coming', async () => {
    const stream = await nodes[C].balanceSheetStream('usjp', '2026-12-31');
    try {
      const wave = Array.from({ length: 60 }, (_, i) => {
        const lpId = `w-${String(i).padStart(2, '0')}`;
        return command(nodes[i % 3], 'commitments', 'retail-platform', `w-${i}`, commitment(lpId, '2000.00', 'USD', '2026-08-02'));
      });
      await new Promise((resolve) => setTimeout(resolve, 20));
      const closes = nodes.map((node) => command(node, 'closes', 'jp-mof', 'close-2', { effectiveDate: '2026-08-15' }));
      const answers = await Promise.all(closes);
      expect(answers.map((a) => a!.status).sort()).toEqual([200, 200, 201]);
      for (const a of answers) expect(a!.body.events).toEqual(answers[0]!.body.events);
      expect((await Promise.all(wave)).map((a) => a!.status)).toEqual(wave.map(() => 201));

      // A write through node A reaches the stream opened on node C, with A's figures.
      const written = await command(nodes[A], 'fx-rates', 'market-data', 'fx-2', { effectiveDate: '2026-08-31', pair: 'USD/JPY', rate: '151.00' });
      const position = written!.body.position!;
      await eventually(
        async () => stream.sheets.some((s) => s.id >= position),
        10_000,
        () => `node C's stream saw ${JSON.stringify(stream.sheets.map((s) => s.id))}, not ${position}`,
      );
      const last = stream.sheets[stream.sheets.length - 1];
      expect(last.sheet).toEqual(await nodes[A].get(`${FUND}/balance-sheet?asOf=2026-12-31`));
    } finally {
      stream.close();
    }
    await converged(nodes);
  }, 60_000);

  it('loses nothing node A acknowledged when it is killed (SIGKILL) mid-stream; the others write on and agree', async () => {
    let acknowledgedByA = 0;
    let killed = false;
    const exited = new Promise((resolve) => nodes[A].api.child.once('exit', resolve));
    const stream = async (n: number, count: number) => {
      for (let i = 0; i < count; i++) {
        const lpId = `k-${n}-${String(i).padStart(3, '0')}`;
        const answer = await command(nodes[n], 'commitments', 'retail-platform', lpId, commitment(lpId, '1000.00', 'USD', '2026-09-01'));
        if (n === A && answer?.status === 201 && ++acknowledgedByA === 40 && !killed) {
          killed = true;
          nodes[A].api.child.kill('SIGKILL');
        }
      }
    };
    // 8 clients on node A, 2 each on B and C.
    const clients = [...Array.from({ length: 8 }, () => stream(A, 40)), ...[B, B, C, C].map((n) => stream(n, 15))];
    await Promise.all(clients);
    await exited;
    expect(killed).toBe(true);
    const others = [...sent].filter(([id]) => /:k-[12]-/.test(id));
    expect(others.every(([, s]) => s.answers[0]?.status === 201)).toBe(true);
    // The head row is free at once: the others write on.
    const t0 = Date.now();
    expect(await command(nodes[B], 'closes', 'us-treasury', 'close-3', { effectiveDate: '2026-09-30' })).toMatchObject({ status: 201 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    await converged(nodes.slice(1));
    const register = await nodes[B].get<{ rows: { lpId: string }[] }>(`${FUND}/lps?asOf=2026-12-31&limit=1000`);
    const listed = new Set(register.rows.map((r) => r.lpId));
    const ackedByA = [...sent].filter(([id, s]) => /:k-0-/.test(id) && s.answers[0]?.status === 201);
    expect(ackedByA.length).toBeGreaterThanOrEqual(40);
    for (const [id] of ackedByA) expect(listed.has(id.split(':')[1])).toBe(true);
  }, 60_000);

  it('holds every acknowledged command in the log exactly once, and nothing refused; the chain verifies', async () => {
    const byCommand = new Map<string, StoredEvent[]>();
    for await (const event of log.readAll()) {
      const id = event.metadata.commandId;
      if (id !== undefined) byCommand.set(id, [...(byCommand.get(id) ?? []), event]);
    }
    for (const [id, { answers }] of sent) {
      const booked = answers.find(accepted);
      const events = byCommand.get(id) ?? [];
      if (booked) {
        // Once: the events of one append (one stream, consecutive positions), as many as the answer named.
        expect([id, events.length]).toEqual([id, booked.body.events!.length]);
        expect(new Set(events.map((e) => e.stream)).size).toBe(1);
        expect(events[events.length - 1].position - events[0].position).toBe(events.length - 1);
      } else if (answers.every((a) => a !== undefined)) {
        // Refused everywhere it was sent: nothing written.
        expect([id, events.length]).toEqual([id, 0]);
      }
    }
    // Nothing in the log that no one sent (an unanswered request to the killed node may be there).
    for (const id of byCommand.keys()) expect([id, sent.has(id)]).toEqual([id, true]);
    expect((await log.verify()).ok).toBe(true);
    // Money adds up: the admitted commitments are us-gov's and what the closes admitted.
    const closes = [...byCommand.values()].flat().filter((e) => e.type === 'CloseHeld');
    const admitted = closes.reduce((sum, e) => sum.plus((e.data as { admittedUsd: string }).admittedUsd), new Decimal(0));
    const sheet = await nodes[B].get<{ commitments: { admitted: string } }>(`${FUND}/balance-sheet?asOf=2026-12-31`);
    expect(sheet.commitments.admitted).toBe(admitted.toFixed(2));
  }, 60_000);
});

/** Each node's balance sheet and register converge to the same answer (polled, as each catches up). */
async function converged(on: Node[]): Promise<void> {
  let seen: string[] = [];
  await eventually(
    async () => {
      seen = await Promise.all(
        on.map(async (node) =>
          JSON.stringify([await node.get(`${FUND}/balance-sheet?asOf=2026-12-31`), await node.get(`${FUND}/lps?asOf=2026-12-31&limit=1000`)]),
        ),
      );
      return seen.every((s) => s === seen[0]);
    },
    10_000,
    () => `the nodes answer differently: ${seen.map((s) => s.slice(0, 300)).join('\n')}`,
  );
}

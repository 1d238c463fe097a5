import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { createApp } from '../bootstrap';
import { asPrincipals, issueKeys } from '../testing/principals';

const dir = mkdtempSync(join(tmpdir(), 'fundsim-funds-'));
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;
const http = () => as;

const { fundId: _fundId, ...terms } = establishUsJapanFund().data;
const establish = { actor: 'us-treasury', effectiveDate: '2026-01-15', ...terms };
const commitment = (lpId: string, amount: string, currency = 'USD') => ({
  actor: 'retail-platform',
  effectiveDate: '2026-04-01',
  lpId,
  kind: 'retail',
  country: currency === 'JPY' ? 'JP' : 'US',
  amount,
  currency,
});
const head = async (): Promise<number> => (await http().get('/health')).body.headPosition;

beforeAll(async () => {
  process.env.FUNDSIM_STORE = `sqlite:${join(dir, 'fundsim.db')}`;
  const keys = await issueKeys(join(dir, 'fundsim.db'));
  app = await createApp({ logger: false });
  await app.init();
  as = asPrincipals(app, keys);
  await http().post('/funds/usjp/establish').send(establish).expect(201);
  await http().post('/funds/usjp/acceptances').send({ actor: 'jp-mof', effectiveDate: '2026-01-15' }).expect(201);
  await http().post('/funds/usjp/fx-rates').send({ actor: 'market-data', effectiveDate: '2026-03-31', pair: 'USD/JPY', rate: '150.00' }).expect(201);
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

describe('fund commands over HTTP', () => {
  it('records a JPY commitment, converted at the rate in force, on the LP stream', async () => {
    const res = await http()
      .post('/funds/usjp/commitments')
      .send(commitment('retail-jp-1', '1500000', 'JPY'))
      .expect(201);
    expect(res.body).toMatchObject({ stream: 'fund-usjp.lp-retail-jp-1', revision: 0, written: true });
    expect(res.body.events[0]).toEqual({
      type: 'CapitalCommitted',
      data: { fundId: 'usjp', lpId: 'retail-jp-1', kind: 'retail', country: 'JP', amount: '1500000', currency: 'JPY', fxRate: '150.00', amountUsd: '10000.00' },
    });
  });

  it('answers a retry with the same Idempotency-Key with 200 and the first result, booking once', async () => {
    const first = await http().post('/funds/usjp/commitments').set('Idempotency-Key', 'sub-42').send(commitment('retail-42', '10000.00')).expect(201);
    const again = await http().post('/funds/usjp/commitments').set('Idempotency-Key', 'sub-42').send(commitment('retail-42', '10000.00')).expect(200);
    expect(again.body).toEqual({ ...first.body, written: false });
    const events = await http().get('/funds/usjp/events?stream=fund-usjp.lp-retail-42').expect(200);
    expect(events.body.events).toHaveLength(1);
  });

  it('400: malformed input names each field and its reason, and writes nothing', async () => {
    const before = await head();
    const res = await http()
      .post('/funds/usjp/commitments')
      .send({ ...commitment('retail-1', '10,000'), effectiveDate: '1 April', extra: true })
      .expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['amount', 'effectiveDate', 'extra']);
    await http().post('/funds/Not_A_Fund/closes').send({ actor: 'us-treasury', effectiveDate: '2026-06-30' }).expect(400);
    await http().post('/funds/usjp/capital-calls/one/defaults').send({ actor: 'us-treasury', effectiveDate: '2026-06-30', lpId: 'x' }).expect(400);
    expect(await head()).toBe(before);
  });

  it('404: an unknown fund or call, with its code', async () => {
    const res = await http().post('/funds/nosuchfund/commitments').send(commitment('retail-1', '10.00')).expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, code: 'FUND_NOT_ESTABLISHED' });
    const call = await http()
      .post('/funds/usjp/capital-calls/9/defaults')
      .send({ actor: 'us-treasury', effectiveDate: '2026-06-30', lpId: 'retail-1' })
      .expect(404);
    expect(call.body.code).toBe('UNKNOWN_CALL');
  });

  it('422: a broken rule gives its code and the numbers, and writes nothing', async () => {
    const before = await head();
    const res = await http().post('/funds/usjp/capital-calls').send({ actor: 'us-treasury', effectiveDate: '2026-06-30', percentage: '0.10' }).expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, code: 'CALL_WITHOUT_ADMITTED_LP' });
    const sub = await http().post('/funds/usjp/commitments').send(commitment('retail-5', '100.001')).expect(422);
    expect(sub.body).toMatchObject({ code: 'INVALID_AMOUNT', message: 'Amount 100.001 has 3 decimal places; USD has 2' });
    // Above the hard cap (this once poisoned every read): refused, and the reads still answer.
    const huge = await http().post('/funds/usjp/commitments').send(commitment('retail-6', '95000000000000.00')).expect(422);
    expect(huge.body).toMatchObject({ code: 'INVALID_AMOUNT' });
    await http().post('/funds/usjp/fx-rates').send({ actor: 'market-data', effectiveDate: '2026-04-01', pair: 'USD/JPY', rate: '0.0000000000001' }).expect(422);
    expect(await head()).toBe(before);
    await http().get('/funds/usjp/balance-sheet?asOf=2026-04-01').expect(200);
    await http().get('/funds/usjp/performance?asOf=2026-04-01').expect(200);
  });

  it('409: an Idempotency-Key reused for a different request', async () => {
    await http().post('/funds/usjp/commitments').set('Idempotency-Key', 'sub-77').send(commitment('retail-77', '100.00')).expect(201);
    const res = await http().post('/funds/usjp/commitments').set('Idempotency-Key', 'sub-77').send(commitment('retail-77', '999.00')).expect(409);
    // Nor for another LP's commitment, nor another command.
    const other = await http().post('/funds/usjp/commitments').set('Idempotency-Key', 'sub-77').send(commitment('retail-78', '100.00')).expect(409);
    expect(other.body.code).toBe('IDEMPOTENCY_CONFLICT');
    await http()
      .post('/funds/usjp/fx-rates')
      .set('Idempotency-Key', 'sub-77')
      .send({ actor: 'retail-platform', effectiveDate: '2026-04-02', pair: 'USD/JPY', rate: '151.00' })
      .expect(409);
    // Another principal's identical key is its own: no 409, and nothing learnt of the other's keys.
    await http()
      .post('/funds/usjp/fx-rates')
      .set('Idempotency-Key', 'sub-77')
      .send({ actor: 'market-data', effectiveDate: '2026-04-02', pair: 'USD/JPY', rate: '151.00' })
      .expect(201);
    expect(res.body.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('holds a close and calls capital; the fund log pages with filters', async () => {
    const close = await http().post('/funds/usjp/closes').send({ actor: 'jp-mof', effectiveDate: '2026-06-30' }).expect(201);
    expect(close.body.events[0].data).toMatchObject({ closeNumber: 1, scaledBack: false });
    const call = await http()
      .post('/funds/usjp/capital-calls')
      .send({ actor: 'us-treasury', effectiveDate: '2026-07-01', percentage: '0.25', dueDate: '2026-07-31' })
      .expect(201);
    expect(call.body.events[0].data).toMatchObject({ callNumber: 1, dueDate: '2026-07-31' });
    const byActor = await http().get('/funds/usjp/events?actor=jp-mof').expect(200);
    expect(byActor.body.events.map((e: { type: string }) => e.type)).toEqual(['ManagementAccepted', 'CloseHeld']);
    const byDate = await http().get('/funds/usjp/events?effectiveFrom=2026-06-01&effectiveTo=2026-12-31').expect(200);
    expect(byDate.body.events.map((e: { type: string }) => e.type)).toEqual(['CloseHeld', 'CapitalCalled']);
    const byType = await http().get('/funds/usjp/events?type=CapitalCommitted&limit=2').expect(200);
    expect(byType.body.events).toHaveLength(2);
    expect(byType.body.nextPosition).toBeGreaterThan(byType.body.events[1].position);
    const facility = {
      actor: 'us-treasury',
      effectiveDate: '2026-07-02',
      facilityId: 'jbic-1',
      lender: 'JBIC',
      limit: '100000000000.00',
      annualRate: '0.05',
      dayCount: 'ACT/365',
      maturityDate: '2031-07-01',
    };
    await http().post('/funds/usjp/credit-facilities').send(facility).expect(201);
    const draw = await http()
      .post('/funds/usjp/credit-facilities/jbic-1/draws')
      .send({ actor: 'jp-mof', effectiveDate: '2026-07-02', amount: '1000.00' })
      .expect(201);
    expect(draw.body.events[0].data).toMatchObject({ principalAfter: '1000.00', totalDebtAfter: '1000.00' });
    const unknown = await http()
      .post('/funds/usjp/credit-facilities/nope/draws')
      .send({ actor: 'jp-mof', effectiveDate: '2026-07-02', amount: '1.00' })
      .expect(404);
    expect(unknown.body.code).toBe('UNKNOWN_FACILITY');
    const overLimit = await http()
      .post('/funds/usjp/credit-facilities/jbic-1/draws')
      .send({ actor: 'jp-mof', effectiveDate: '2026-07-02', amount: '100000000000.00' })
      .expect(422);
    expect(overLimit.body.code).toBe('FACILITY_LIMIT_EXCEEDED');
    // A fund that does not exist is a 404, not an empty page that reads as "no events yet".
    const none = await http().get('/funds/otherfund/events').expect(404);
    expect(none.body.code).toBe('FUND_NOT_ESTABLISHED');
  });

  it('takes an allocation from proposal through both approvals to funding', async () => {
    const at = (actor: string, effectiveDate = '2026-08-01') => ({ actor, effectiveDate });
    await http()
      .post('/funds/usjp/projects')
      .send({
        ...at('us-treasury'),
        projectId: 'stargate',
        name: 'Stargate',
        sector: 'AI infrastructure',
        partners: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'],
        totalProjectSize: '500000000000.00',
      })
      .expect(201);
    const proposed = await http()
      .post('/funds/usjp/allocations')
      .send({ ...at('us-treasury'), allocationId: 'alloc-1', projectId: 'stargate', amount: '5000.00' })
      .expect(201);
    expect(proposed.body.events.map((e: { type: string }) => e.type)).toEqual(['AllocationProposed']);
    const early = await http()
      .post('/funds/usjp/allocations/alloc-1/fundings')
      .send({ ...at('us-treasury'), amount: '100.00' })
      .expect(422);
    expect(early.body.code).toBe('ALLOCATION_NOT_COMMITTED');
    const approved = await http().post('/funds/usjp/allocations/alloc-1/approvals').send(at('jp-mof')).expect(201);
    expect(approved.body.events.map((e: { type: string }) => e.type)).toEqual(['AllocationApproved', 'AllocationCommitted']);
    await http().post('/funds/usjp/allocations/alloc-1/approvals').send(at('jp-mof')).expect(422);
    await http().post('/funds/usjp/allocations/nope/approvals').send(at('jp-mof')).expect(404);
    const funded = await http()
      .post('/funds/usjp/allocations/alloc-1/fundings')
      .send({ ...at('us-treasury', '2026-08-02'), amount: '1000.00' })
      .expect(201);
    expect(funded.body.events[0].data).toMatchObject({ amount: '1000.00', allocationLeftAfter: '4000.00' });
    await http()
      .post('/funds/usjp/projects/stargate/valuations')
      .send({ ...at('us-treasury', '2026-09-30'), fairValue: '1200.00' })
      .expect(201);
    const sold = await http()
      .post('/funds/usjp/projects/stargate/proceeds')
      .send({ ...at('us-treasury', '2026-10-01'), kind: 'capital', amount: '600.00' })
      .expect(201);
    expect(sold.body.events[0].data).toMatchObject({ costRelieved: '500.00', realizedGain: '100.00' });
    const distribution = await http()
      .post('/funds/usjp/distributions')
      .send({ ...at('us-treasury', '2026-10-02'), amount: '500.00', paymentDate: '2026-10-15' })
      .expect(201);
    expect(distribution.body.events[0].data).toMatchObject({ distributionNumber: 1, paymentDate: '2026-10-15' });
    await http()
      .post('/funds/usjp/management-fees')
      .send({ ...at('us-treasury', '2026-10-02'), amount: '10.00', period: '2026-Q3' })
      .expect(201);
    const tooMuch = await http()
      .post('/funds/usjp/expenses')
      .send({ ...at('us-treasury', '2026-10-02'), amount: '1000000.00', description: 'audit' })
      .expect(422);
    expect(tooMuch.body.code).toBe('INSUFFICIENT_CASH');

    // A late correction of the valuation: booked at the valuation's date, the rules of every later event re-checked.
    const valuation = (await http().get('/funds/usjp/events?type=ProjectValued').expect(200)).body.events[0];
    const corrected = await http()
      .post(`/funds/usjp/events/${valuation.id}/reversals`)
      .send({ actor: 'jp-mof', reason: 'stale model', replacement: { type: 'ProjectValued', data: { projectId: 'stargate', fairValue: '1100.00' } } })
      .expect(201);
    expect(corrected.body.events[0]).toMatchObject({ type: 'EventReversed', data: { eventId: valuation.id, reversedType: 'ProjectValued' } });
    const stored = (await http().get('/funds/usjp/events?type=EventReversed').expect(200)).body.events[0];
    expect(stored.metadata.effectiveDate).toBe('2026-09-30');
    await http().post(`/funds/usjp/events/${valuation.id}/reversals`).send({ actor: 'jp-mof', reason: 'again' }).expect(422);
    await http().post('/funds/usjp/events/00000000-0000-4000-8000-000000000000/reversals').send({ actor: 'jp-mof', reason: 'x' }).expect(404);
  });

  it('replays the balance sheet to a date, as known now and before the correction', async () => {
    const now = await http().get('/funds/usjp/balance-sheet?asOf=2026-09-30').expect(200);
    expect(Object.keys(now.body)).toEqual(
      expect.arrayContaining(['asOf', 'knownAt', 'currency', 'assets', 'liabilities', 'netAssets', 'commitments', 'leverage', 'investments']),
    );
    expect(now.body.investments[0]).toMatchObject({ projectId: 'stargate', fairValue: '1100.00' });
    const recordedAt = (await http().get('/funds/usjp/events?type=EventReversed').expect(200)).body.events[0].metadata.recordedAt as string;
    const before = new Date(Date.parse(recordedAt) - 1).toISOString();
    const then = await http().get(`/funds/usjp/balance-sheet?asOf=2026-09-30&knownAt=${before}`).expect(200);
    expect(then.body.investments[0]).toMatchObject({ fairValue: '1200.00' });
    await http().get('/funds/usjp/balance-sheet?asOf=30-09-2026').expect(400);
    // Not a date: malformed input, 400 (a real date the rules refuse is a 422).
    expect((await http().get('/funds/usjp/balance-sheet?asOf=2026-09-30&knownAt=yesterday').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http().get('/funds/usjp/balance-sheet?asOf=2027-13-45').expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await http().get('/funds/nofund/balance-sheet?asOf=2026-09-30').expect(404)).body.code).toBe('FUND_NOT_ESTABLISHED');
  });

  it("reads the register (JSON pages, or all of it as CSV), an LP's capital account and the fund's performance", async () => {
    const sheet = (await http().get('/funds/usjp/balance-sheet?asOf=2026-12-31').expect(200)).body;
    const page = (await http().get('/funds/usjp/lps?asOf=2026-12-31&limit=1000').expect(200)).body;
    expect(page.netAssets).toBe(sheet.netAssets);
    const cents = page.rows.reduce((sum: bigint, r: { netAssets: string }) => sum + BigInt(r.netAssets.replace('.', '')), 0n);
    expect(cents).toBe(BigInt(sheet.netAssets.replace('.', '')));
    expect((await http().get('/funds/usjp/lps?asOf=2026-12-31&limit=1&offset=1').expect(200)).body.rows).toEqual(page.rows.slice(1, 2));

    const csv = await http().get('/funds/usjp/lps?asOf=2026-12-31').set('Accept', 'text/csv').expect(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('lpId,kind,country,currency,commitmentUsd,contributions,netAssets,ownership');
    expect(lines).toHaveLength(page.total + 1);
    expect(lines[1].split(',')[6]).toBe(page.rows[0].netAssets);

    const lp = page.rows[0].lpId;
    const account = (await http().get(`/funds/usjp/lps/${lp}?asOf=2026-12-31`).expect(200)).body;
    expect(account.rollForward.endingNav).toBe(page.rows[0].netAssets);
    expect(account.performance[0].currency).toBe('USD');
    expect((await http().get('/funds/usjp/lps/nobody?asOf=2026-12-31').expect(404)).body.code).toBe('UNKNOWN_LP');
    await http().get('/funds/usjp/lps?limit=0').expect(400);

    const performance = (await http().get('/funds/usjp/performance?asOf=2026-12-31').expect(200)).body;
    expect(performance.rollForward.netAssets).toBe(sheet.netAssets);
    expect(Object.keys(performance.withFacility)).toEqual([
      'currency',
      'paidIn',
      'distributed',
      'nav',
      'distributionsPayable',
      'contributionsOwed',
      'residualValue',
      'xirr',
      'tvpi',
      'dpi',
      'rvpi',
    ]);
  });

  it('streams the balance sheet as server-sent events: ids are log positions, Last-Event-ID resumes, heartbeats keep it open', async () => {
    await app.listen(0);
    const { port } = app.getHttpServer().address() as { port: number };
    const url = `http://127.0.0.1:${port}/funds/usjp/balance-sheet/stream?asOf=2026-12-31`;
    process.env.FUNDSIM_SSE_HEARTBEAT_MS = '200';
    // Protected like the rest: without a key, 401.
    expect((await fetch(url)).status).toBe(401);
    const opened: AbortController[] = [];
    const open = async (headers: Record<string, string> = {}) => {
      const controller = new AbortController();
      opened.push(controller);
      const response = await fetch(url, { signal: controller.signal, headers: { ...as.auth('auditor'), ...headers } });
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const reader = response.body!.getReader();
      let buffer = '';
      /** The next message (or comment), as its lines. */
      const next = async (): Promise<string[]> => {
        while (!buffer.includes('\n\n')) {
          const { value, done } = await reader.read();
          if (done) throw new Error(`the stream ended; buffered: ${buffer}`);
          buffer += new TextDecoder().decode(value);
        }
        const [message, ...restOf] = buffer.split('\n\n');
        buffer = restOf.join('\n\n');
        // Nest opens the stream with an empty line.
        return message.split('\n').filter((l) => l !== '');
      };
      const nextSheet = async () => {
        for (;;) {
          const lines = await next();
          const data = lines.find((l) => l.startsWith('data: '));
          if (data) return { id: Number(lines.find((l) => l.startsWith('id: '))!.slice(4)), sheet: JSON.parse(data.slice(6)) as { netAssets: string } };
        }
      };
      return { next, nextSheet, close: () => controller.abort() };
    };
    try {
      const first = await open();
      const now = await first.nextSheet();
      expect(now.id).toBe(await head());
      await http()
        .post('/funds/usjp/management-fees')
        .send({ actor: 'us-treasury', effectiveDate: '2026-12-31', amount: '1.00', period: '2026-Q4' })
        .expect(201);
      const after = await first.nextSheet();
      expect(after.id).toBe(await head());
      expect(BigInt(now.sheet.netAssets.replace('.', '')) - BigInt(after.sheet.netAssets.replace('.', ''))).toBe(100n);
      expect(await first.next()).toEqual([': heartbeat']);
      first.close();

      // Resuming from the last id: nothing is sent again until the log moves, then the update.
      const resumed = await open({ 'Last-Event-ID': String(after.id) });
      expect(await resumed.next()).toEqual([': heartbeat']);
      await http()
        .post('/funds/usjp/management-fees')
        .send({ actor: 'us-treasury', effectiveDate: '2026-12-31', amount: '2.00', period: '2026-Q4' })
        .expect(201);
      const update = await resumed.nextSheet();
      expect(update.id).toBe(await head());
      resumed.close();
      // Resuming from an older id gets the current sheet at once.
      const behind = await open({ 'Last-Event-ID': String(now.id) });
      expect((await behind.nextSheet()).id).toBe(update.id);
      behind.close();
    } finally {
      for (const controller of opened) controller.abort();
      delete process.env.FUNDSIM_SSE_HEARTBEAT_MS;
    }
    expect((await http().get('/funds/nofund/balance-sheet/stream').expect(404)).body.code).toBe('FUND_NOT_ESTABLISHED');
    expect((await http().get('/funds/usjp/balance-sheet/stream').set('Last-Event-ID', 'abc').expect(400)).body.code).toBe('VALIDATION_FAILED');
  }, 20_000);

  it("audits: each allocation's trail, the compliance report, the chain, and streamed exports", async () => {
    const list = (await http().get('/funds/usjp/audit/allocations').expect(200)).body;
    expect(list[0]).toMatchObject({ allocationId: 'alloc-1', projectId: 'stargate', status: 'committed', proposedBy: 'us-treasury' });
    const trail = (await http().get('/funds/usjp/audit/allocations/alloc-1').expect(200)).body;
    expect(trail.lines.slice(0, 3).map((l: { type: string }) => l.type)).toEqual(['AllocationProposed', 'AllocationApproved', 'AllocationCommitted']);
    expect((await http().get('/funds/usjp/audit/allocations/nope').expect(404)).body.code).toBe('UNKNOWN_ALLOCATION');
    const compliance = (await http().get('/funds/usjp/audit/compliance').expect(200)).body;
    expect(compliance).toMatchObject({ fundId: 'usjp', breaches: 0 });
    expect(compliance.checkedEvents).toBeGreaterThan(0);
    const verified = (await http().get('/funds/usjp/audit/verify').expect(200)).body;
    expect(verified).toMatchObject({ fundId: 'usjp', ok: true, count: await head() });

    const events = (await http().get('/funds/usjp/events?limit=1000').expect(200)).body.events;
    const jsonl = await http().get('/funds/usjp/events/export?format=jsonl').expect(200);
    expect(jsonl.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const exported = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(exported.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining(events.map((e: { id: string }) => e.id)));
    expect(exported[0]).toEqual(expect.objectContaining({ position: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }));
    const csv = await http().get('/funds/usjp/events/export?format=csv').expect(200);
    expect(csv.text.split('\n')[0]).toBe('position,id,stream,revision,type,effectiveDate,recordedAt,actor,correlationId,causationId,commandId,hash,data');
    expect(csv.text.trim().split('\n')).toHaveLength(exported.length + 1);
    const trails = await http().get('/funds/usjp/events/export?format=csv&what=trails').expect(200);
    expect(trails.text).toMatch(/^allocationId,projectId,position,eventId,type/);
    await http().get('/funds/usjp/events/export?format=xml').expect(400);
  });
});

describe('a principal does only what it owns (issue 24, each finding reproduced over HTTP; nothing written for any refusal)', () => {
  const refused = async (url: string, body: object, status: number, code: string) => {
    const before = await head();
    const res = await http().post(url).send(body);
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(await head()).toBe(before);
  };

  it("one manager's replacement of a jointly approved allocation changes nothing until the other approves; withdrawing the other's approval under a standing commitment is refused", async () => {
    const trail = async () => (await http().get('/funds/usjp/audit/allocations/alloc-1').expect(200)).body;
    const proposal = (await trail()).lines.find((l: { type: string }) => l.type === 'AllocationProposed').eventId as string;
    const approval = (await trail()).lines.find((l: { type: string }) => l.type === 'AllocationApproved').eventId as string;
    const replaced = await http()
      .post(`/funds/usjp/events/${proposal}/reversals`)
      .send({
        actor: 'us-treasury',
        reason: 'bigger ticket',
        replacement: { type: 'AllocationProposed', data: { allocationId: 'alloc-1', projectId: 'stargate', amount: '4500.00' } },
      })
      .expect(201);
    expect(replaced.body.events.map((e: { type: string }) => e.type)).toEqual(['ReversalProposed']);
    // The finding reversed jp-mof's approval and the allocation stayed committed: now refused, nothing written.
    await refused(`/funds/usjp/events/${approval}/reversals`, { actor: 'us-treasury', reason: 'not theirs to keep' }, 422, 'EVENT_NOT_REVERSIBLE');
    // The books and the trail as before: the amount, both approvals, committed; the correction shown as proposed.
    const now = await trail();
    expect([now.amount, now.status, now.approvedBy]).toEqual(['5000.00', 'committed', ['us-treasury', 'jp-mof']]);
    const decisions = now.lines.filter((l: { type: string }) => l.type.startsWith('Allocation'));
    expect(decisions.flatMap((l: { corrections: { status: string }[] }) => l.corrections.map((c) => c.status))).toEqual(['proposed']);
    await refused(`/funds/usjp/events/${proposal}/reversals/approvals`, { actor: 'us-treasury' }, 422, 'MANAGER_ALREADY_APPROVED');
    await refused(`/funds/usjp/events/${proposal}/reversals`, { actor: 'us-treasury', reason: 'again' }, 422, 'REVERSAL_ALREADY_PROPOSED');
    await http().post(`/funds/usjp/events/${proposal}/reversals/rejections`).send({ actor: 'jp-mof', reason: 'the amount stands' }).expect(201);
    expect((await trail()).lines.flatMap((l: { corrections: { status: string }[] }) => l.corrections.map((c) => c.status))).toContain('rejected');
    expect((await http().get('/funds/usjp/audit/compliance').expect(200)).body.breaches).toBe(0);
  });

  it('an operator cannot move the fund ahead of its managers (an FX rate dated 2031 froze every command of today)', async () => {
    await refused(
      '/funds/usjp/fx-rates',
      { actor: 'market-data', effectiveDate: '2031-12-31', pair: 'USD/JPY', rate: '150.00' },
      422,
      'EFFECTIVE_DATE_AFTER_OPEN_PERIOD',
    );
    await http().post('/funds/usjp/milestones').send({ actor: 'us-treasury', effectiveDate: '2027-01-05', milestone: 'Year opened' }).expect(201);
    // The managers opened 2027-Q1: facts may now be dated to the end of Q2.
    await http().post('/funds/usjp/fx-rates').send({ actor: 'market-data', effectiveDate: '2027-06-30', pair: 'USD/JPY', rate: '151.00' }).expect(201);
    await refused(
      '/funds/usjp/fx-rates',
      { actor: 'market-data', effectiveDate: '2027-07-01', pair: 'USD/JPY', rate: '151.00' },
      422,
      'EFFECTIVE_DATE_AFTER_OPEN_PERIOD',
    );
    // Within the open period nobody waits for another's later date: a manager's decision and an
    // operator's valuation dated before the rate of 2027-06-30 are each taken at their own date.
    await http().post('/funds/usjp/milestones').send({ actor: 'us-treasury', effectiveDate: '2027-01-06', milestone: 'Budget agreed' }).expect(201);
    await http().post('/funds/usjp/projects/stargate/valuations').send({ actor: 'market-data', effectiveDate: '2027-01-02', fairValue: '1150.00' }).expect(201);
    const sheet = (await http().get('/funds/usjp/balance-sheet?asOf=2027-01-03').expect(200)).body;
    expect(sheet.investments[0]).toMatchObject({ projectId: 'stargate', fairValue: '1150.00' });
    // Earlier quarters are closed to facts.
    await refused(
      '/funds/usjp/fx-rates',
      { actor: 'market-data', effectiveDate: '2026-12-31', pair: 'USD/JPY', rate: '151.00' },
      422,
      'EFFECTIVE_DATE_BEFORE_OPEN_PERIOD',
    );
  });

  it('a manager writes only in funds that name it, and cannot bind another manager by establishing a fund', async () => {
    await http()
      .post('/funds/jponly/establish')
      .send({ ...establish, actor: 'jp-mof', managers: ['jp-mof'], approvalsRequired: ['jp-mof'] })
      .expect(201);
    await refused('/funds/jponly/fx-rates', { actor: 'us-treasury', effectiveDate: '2026-02-01', pair: 'USD/JPY', rate: '150.00' }, 422, 'ACTOR_NOT_MANAGER');
    await refused('/funds/jponly/projects/p/valuations', { actor: 'us-treasury', effectiveDate: '2026-02-01', fairValue: '1.00' }, 422, 'ACTOR_NOT_MANAGER');
    await http().post('/funds/both/establish').send(establish).expect(201);
    await refused('/funds/both/milestones', { actor: 'us-treasury', effectiveDate: '2026-02-01', milestone: 'alone' }, 422, 'FUND_AWAITING_ACCEPTANCE');
    await http().post('/funds/both/acceptances').send({ actor: 'jp-mof', effectiveDate: '2026-01-20' }).expect(201);
    await http().post('/funds/both/milestones').send({ actor: 'us-treasury', effectiveDate: '2026-02-01', milestone: 'together' }).expect(201);
  });

  it("an operator commits only for its platform's LPs, never for a sovereign, and cannot change an LP's kind or country", async () => {
    const body = { actor: 'market-data', effectiveDate: '2027-06-30', lpId: 'retail-42', kind: 'retail', country: 'US', amount: '100.00', currency: 'USD' };
    await refused('/funds/usjp/commitments', body, 422, 'LP_OF_ANOTHER_PLATFORM');
    await refused('/funds/usjp/commitments', { ...body, lpId: 'jp-gov-2', kind: 'sovereign', country: 'JP' }, 422, 'SOVEREIGN_NEEDS_MANAGER');
    await refused('/funds/usjp/commitments', { ...body, actor: 'retail-platform', kind: 'institutional' }, 422, 'LP_TERMS_FIXED');
    await http()
      .post('/funds/usjp/commitments')
      .send({ ...body, actor: 'retail-platform' })
      .expect(201);
  });
});

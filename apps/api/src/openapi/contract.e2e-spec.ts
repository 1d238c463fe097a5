/**
 * The API's contract, checked against the built server (`npm start`) as a client would meet it:
 * - its OpenAPI document passes `redocly lint` with the recommended rules;
 * - the response schemas in it are the ones generated from the TypeScript types the routes return
 *   (`npm run openapi:schemas`), and the client types generated from it by openapi-typescript are
 *   the committed ones (`npm run openapi:client`) that this program is type-checked against;
 * - this program calls every route of the document through that typed client (openapi-fetch), and
 *   every answer, success or error, is valid against the document's schema for its status and type.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMAS_FILE, schemasFileText } from '../../../../scripts/openapi-schemas';
import { apiClient, type ApiClient } from '@fundsim/api-client';
import { startApi, type RunningApi } from '../testing/server';
import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { DEMO_WATERFALL } from '@fundsim/application';

/** The demo fund's terms, as the domain's tests establish it. */
const { fundId: _fundId, ...fundTerms } = establishUsJapanFund().data;

const ROOT = join(__dirname, '..', '..', '..', '..');
const CLIENT_TYPES_FILE = join(ROOT, 'libs/api-client/src/openapi.generated.ts');
const FUND = 'usjp';
const dir = mkdtempSync(join(tmpdir(), 'fundsim-contract-'));
let api: RunningApi;
let spec: { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
let keys: Record<string, string>;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
const validators = new Map<string, ValidateFunction>();

/** Every (method, path, status, media type) answered, and what was wrong with any answer. */
const answered = new Set<string>();
const invalid: string[] = [];

/** The JSON answer of a route that can also answer in text (its union narrowed). */
function json<T>(data: T | string | undefined): T {
  if (data === undefined || typeof data === 'string') throw new Error(`expected JSON, got ${String(data).slice(0, 80)}`);
  return data;
}

const pointer = (...parts: string[]) => parts.map((p) => encodeURIComponent(p.replaceAll('~', '~0').replaceAll('/', '~1'))).join('/');

function validatorFor(path: string, method: string, status: number, mediaType: string): ValidateFunction | undefined {
  const key = `${method} ${path} ${status} ${mediaType}`;
  if (!validators.has(key)) {
    const content = spec.paths[path]?.[method]?.responses[String(status)]?.content;
    if (!content?.[mediaType]) return undefined;
    validators.set(key, ajv.compile({ $ref: `openapi.json#/${pointer('paths', path, method, 'responses', String(status), 'content', mediaType, 'schema')}` }));
  }
  return validators.get(key);
}

/** A client acting with `who`'s key (none for `anonymous`); every answer it gets is checked against the document. */
function clientAs(who: string): ApiClient {
  const client = apiClient(api.url, who === 'anonymous' ? undefined : keys[who]);
  client.use({
    async onResponse({ request, response, schemaPath }) {
      const method = request.method.toLowerCase();
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0].trim();
      answered.add(`${method} ${schemaPath} ${response.status}`);
      const validate = validatorFor(schemaPath, method, response.status, mediaType);
      if (!validate) {
        invalid.push(`${method} ${schemaPath}: ${response.status} ${mediaType} is not in the document`);
        return undefined;
      }
      if (mediaType === 'text/event-stream') return undefined; // never ends: its messages are checked below
      const text = await response.clone().text();
      const body: unknown = mediaType === 'application/json' ? JSON.parse(text) : text;
      if (!validate(body)) invalid.push(`${method} ${schemaPath} ${response.status}: ${ajv.errorsText(validate.errors)}`);
      return undefined;
    },
  });
  return client;
}

beforeAll(async () => {
  // An empty store: main.ts issues the demo's keys into it, and this program builds its fund.
  const keysFile = join(dir, 'keys.json');
  api = await startApi({ FUNDSIM_STORE: `sqlite:${join(dir, 'fundsim.db')}`, FUNDSIM_DEMO: 'off', FUNDSIM_DEMO_KEYS: keysFile, FUNDSIM_REQUEST_LOG: 'off' });
  keys = Object.fromEntries(
    (JSON.parse(readFileSync(keysFile, 'utf8')) as { role: string; subject: string | null; key: string }[]).map((k) => [k.subject ?? k.role, k.key]),
  );
  spec = (await (await fetch(`${api.url}/docs-json`)).json()) as typeof spec;
  ajv.addSchema(spec, 'openapi.json');
}, 90_000);

afterAll(async () => {
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the OpenAPI document', () => {
  it('passes redocly lint with the recommended rules: no errors, no warnings', () => {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(spec));
    const lint = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', '@redocly', 'cli', 'bin', 'cli.js'), 'lint', file, '--config', join(ROOT, 'redocly.yaml'), '--format', 'summary'],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    const output = `${lint.stdout}${lint.stderr}`;
    expect(output).toContain('Your API description is valid');
    expect(output).not.toMatch(/^(error|warning) /m);
    expect(lint.status).toBe(0);
  }, 90_000);

  it('has the response schemas generated from the types the routes return (else: npm run openapi:schemas)', () => {
    expect(readFileSync(SCHEMAS_FILE, 'utf8')).toBe(schemasFileText());
  }, 60_000);

  it('gives the typed client this program is compiled against (else: npm run openapi:client)', () => {
    // openapi-typescript is an ES module that jest cannot load: generated in a process of its own.
    const specFile = join(dir, 'client-spec.json');
    const out = join(dir, 'openapi.generated.ts');
    writeFileSync(specFile, JSON.stringify(spec));
    const run = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'openapi-client.ts'), specFile, out], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(readFileSync(CLIENT_TYPES_FILE, 'utf8')).toBe(readFileSync(out, 'utf8'));
  }, 90_000);
});

describe('every route through the typed client', () => {
  const path = { fundId: FUND };
  const manager = () => clientAs('us-treasury');
  const other = () => clientAs('jp-mof');
  const operator = () => clientAs('retail-platform');
  const market = () => clientAs('market-data');
  const auditor = () => clientAs('auditor');

  it('builds a fund with every command, each answered as documented', async () => {
    const expectWritten = ({ data, error, response }: { data?: { written: boolean; events: unknown[] }; error?: unknown; response: Response }) => {
      expect(error).toBeUndefined();
      expect(response.status).toBe(201);
      expect(data!.written).toBe(true);
      expect(data!.events.length).toBeGreaterThan(0);
    };
    expectWritten(
      await manager().POST('/funds/{fundId}/establish', {
        params: { path },
        body: { effectiveDate: '2026-01-15', ...fundTerms, waterfall: { ...DEMO_WATERFALL, managerShares: [...DEMO_WATERFALL.managerShares] } },
      }),
    );
    // A manager established it naming jp-mof, which accepts before the fund takes commands.
    expectWritten(await other().POST('/funds/{fundId}/acceptances', { params: { path }, body: { effectiveDate: '2026-01-15' } }));
    expectWritten(
      await market().POST('/funds/{fundId}/fx-rates', { params: { path }, body: { effectiveDate: '2026-03-31', pair: 'USD/JPY', rate: '150.00' } }),
    );
    // Sovereign capital is recorded by the managers, retail by the platform that onboards it.
    for (const [who, lpId, kind, country, amount, currency] of [
      [manager, 'us-gov', 'sovereign', 'US', '110000000000.00', 'USD'],
      [other, 'jp-gov', 'sovereign', 'JP', '13500000000000', 'JPY'],
      [operator, 'retail-us-000001', 'retail', 'US', '10000.00', 'USD'],
      [operator, 'retail-jp-000001', 'retail', 'JP', '1500000', 'JPY'],
    ] as const) {
      expectWritten(
        await who().POST('/funds/{fundId}/commitments', { params: { path }, body: { effectiveDate: '2026-04-02', lpId, kind, country, amount, currency } }),
      );
    }
    expectWritten(
      await manager().POST('/funds/{fundId}/milestones', {
        params: { path },
        body: { effectiveDate: '2026-06-15', milestone: 'G7 summit', note: 'Tariff talks conclude' },
      }),
    );
    expectWritten(await other().POST('/funds/{fundId}/closes', { params: { path }, body: { effectiveDate: '2026-06-30' } }));
    // A retry with its Idempotency-Key: the first result again, 200, nothing written.
    const call = {
      params: { path, header: { 'Idempotency-Key': 'call-1' } },
      body: { effectiveDate: '2026-07-01', percentage: '0.10', dueDate: '2026-07-31', purposes: { investments: '0.95', managementFees: '0.05' } },
    };
    expectWritten(await manager().POST('/funds/{fundId}/capital-calls', call));
    const retry = await manager().POST('/funds/{fundId}/capital-calls', call);
    expect([retry.response.status, retry.data?.written]).toEqual([200, false]);
    expectWritten(
      await manager().POST('/funds/{fundId}/capital-calls/{callNumber}/defaults', {
        params: { path: { ...path, callNumber: 1 } },
        body: { effectiveDate: '2026-08-01', lpId: 'retail-us-000001' },
      }),
    );
    // A retail LP sells part of its interest to a new LP, with the managers' consent; one in default may not.
    expectWritten(
      await manager().POST('/funds/{fundId}/transfers', {
        params: { path },
        body: {
          effectiveDate: '2026-08-01',
          fromLpId: 'retail-jp-000001',
          toLpId: 'retail-us-000002',
          commitmentUsd: '2000.00',
          priceUsd: '1900.00',
          kind: 'retail',
          country: 'US',
          currency: 'USD',
        },
      }),
    );
    const inDefault = await manager().POST('/funds/{fundId}/transfers', {
      params: { path },
      body: { effectiveDate: '2026-08-01', fromLpId: 'retail-us-000001', toLpId: 'retail-us-000002', commitmentUsd: '100.00', priceUsd: '90.00' },
    });
    expect([inDefault.response.status, (inDefault.error as { code?: string } | undefined)?.code]).toEqual([422, 'LP_IN_DEFAULT']);
    expectWritten(
      await other().POST('/funds/{fundId}/credit-facilities', {
        params: { path },
        body: {
          effectiveDate: '2026-08-01',
          facilityId: 'jbic',
          lender: 'Japan Bank for International Cooperation',
          limit: '100000000000.00',
          annualRate: '0.045',
          dayCount: 'ACT/365',
          maturityDate: '2036-08-01',
        },
      }),
    );
    expectWritten(
      await manager().POST('/funds/{fundId}/projects', {
        params: { path },
        body: {
          effectiveDate: '2026-08-01',
          projectId: 'stargate',
          name: 'Stargate',
          sector: 'ai-infrastructure',
          partners: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'],
          totalProjectSize: '500000000000.00',
        },
      }),
    );
    for (const allocationId of ['al-stargate-1', 'al-stargate-2']) {
      expectWritten(
        await manager().POST('/funds/{fundId}/allocations', {
          params: { path },
          body: { effectiveDate: '2026-08-01', allocationId, projectId: 'stargate', amount: '25000000000.00' },
        }),
      );
    }
    expectWritten(
      await other().POST('/funds/{fundId}/allocations/{allocationId}/approvals', {
        params: { path: { ...path, allocationId: 'al-stargate-1' } },
        body: { effectiveDate: '2026-08-03' },
      }),
    );
    expectWritten(
      await other().POST('/funds/{fundId}/allocations/{allocationId}/rejections', {
        params: { path: { ...path, allocationId: 'al-stargate-2' } },
        body: { effectiveDate: '2026-08-03', reason: 'One tranche at a time' },
      }),
    );
    expectWritten(
      await other().POST('/funds/{fundId}/credit-facilities/{facilityId}/draws', {
        params: { path: { ...path, facilityId: 'jbic' } },
        body: { effectiveDate: '2026-08-04', amount: '10000000000.00' },
      }),
    );
    expectWritten(
      await other().POST('/funds/{fundId}/credit-facilities/{facilityId}/amendments', {
        params: { path: { ...path, facilityId: 'jbic' } },
        body: { effectiveDate: '2026-08-04', limit: '120000000000.00', maturityDate: '2036-08-01' },
      }),
    );
    expectWritten(
      await manager().POST('/funds/{fundId}/allocations/{allocationId}/fundings', {
        params: { path: { ...path, allocationId: 'al-stargate-1' } },
        body: { effectiveDate: '2026-08-05', amount: '25000000000.00' },
      }),
    );
    expectWritten(
      await market().POST('/funds/{fundId}/projects/{projectId}/valuations', {
        params: { path: { ...path, projectId: 'stargate' } },
        body: { effectiveDate: '2026-09-30', fairValue: '26500000000.00' },
      }),
    );
    expectWritten(
      await market().POST('/funds/{fundId}/projects/{projectId}/proceeds', {
        params: { path: { ...path, projectId: 'stargate' } },
        body: { effectiveDate: '2026-10-15', kind: 'income', amount: '1000000000.00' },
      }),
    );
    expectWritten(
      await manager().POST('/funds/{fundId}/distributions', {
        params: { path },
        body: { effectiveDate: '2026-10-20', amount: '500000000.00', paymentDate: '2026-10-31' },
      }),
    );
    expectWritten(
      await manager().POST('/funds/{fundId}/management-fees', {
        params: { path },
        body: { effectiveDate: '2026-10-21', amount: '50.00', period: '2026-Q3' }, // called from the retail LPs alone: the demo's terms exempt the sovereigns from fees
      }),
    );
    expectWritten(
      await manager().POST('/funds/{fundId}/expenses', {
        params: { path },
        body: { effectiveDate: '2026-10-22', amount: '1000000.00', description: 'Annual audit' },
      }),
    );
    expectWritten(
      await other().POST('/funds/{fundId}/credit-facilities/{facilityId}/interest-payments', {
        params: { path: { ...path, facilityId: 'jbic' } },
        body: { effectiveDate: '2026-10-31' },
      }),
    );
    expectWritten(
      await other().POST('/funds/{fundId}/credit-facilities/{facilityId}/repayments', {
        params: { path: { ...path, facilityId: 'jbic' } },
        body: { effectiveDate: '2026-11-02', amount: '1000000000.00' },
      }),
    );
    const expenses = await auditor().GET('/funds/{fundId}/events', { params: { path, query: { type: 'ExpenseRecorded' } } });
    const eventId = expenses.data!.events[0].id;
    expectWritten(
      await manager().POST('/funds/{fundId}/events/{eventId}/reversals', {
        params: { path: { ...path, eventId } },
        body: { reason: 'Booked twice by the administrator' },
      }),
    );
    // A funding is under dual control: one manager's reversal is a proposal, which the other refuses.
    const fundings = await auditor().GET('/funds/{fundId}/events', { params: { path, query: { type: 'ProjectFunded' } } });
    const funding = { params: { path: { ...path, eventId: fundings.data!.events[0].id } } };
    const proposed = await manager().POST('/funds/{fundId}/events/{eventId}/reversals', { ...funding, body: { reason: 'Wrong tranche' } });
    expectWritten(proposed);
    expect(proposed.data!.events.map((e) => e.type)).toEqual(['ReversalProposed']);
    expectWritten(await other().POST('/funds/{fundId}/events/{eventId}/reversals/rejections', { ...funding, body: { reason: 'The tranche was right' } }));
    const again = await other().POST('/funds/{fundId}/events/{eventId}/reversals/approvals', { ...funding, body: {} });
    expect([again.response.status, again.error?.code]).toEqual([404, 'NO_REVERSAL_PROPOSED']);
  }, 60_000);

  it('reads the books, the log and the audit, each answer as documented', async () => {
    const query = { asOf: '2026-12-31' };
    const sheet = await auditor().GET('/funds/{fundId}/balance-sheet', { params: { path, query } });
    expect(sheet.data!.commitments.admitted).toBe('200000020000.00'); // 110bn + ¥13.5tn at 150 + 10,000 + ¥1.5m at 150
    const performance = await auditor().GET('/funds/{fundId}/performance', { params: { path, query } });
    expect(performance.data!.asOf).toBe('2026-12-31');
    const waterfall = await auditor().GET('/funds/{fundId}/waterfall', { params: { path, query } });
    // The sovereigns bear no carry (the demo's terms): their share of the 500,000,000.00 goes to them whole, the rest through the tiers.
    expect(waterfall.data!.distributions.map((d) => [d.split.exempt, d.split.returnOfCapital])).toEqual([['499999950.00', '50.00']]);
    const revenue = await auditor().GET('/funds/{fundId}/managers/{manager}/revenue', {
      params: { path: { ...path, manager: 'jp-mof' }, query: { to: '2026-12-31' } },
    });
    expect(revenue.data!.quarters.map((q) => q.quarter)).toEqual(['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
    expect(revenue.data!.total.jpy).not.toBeNull();
    const register = await auditor().GET('/funds/{fundId}/lps', { params: { path, query: { ...query, limit: 10 } } });
    expect(json(register.data).rows.map((lp) => lp.lpId)).toEqual(['jp-gov', 'retail-jp-000001', 'retail-us-000001', 'retail-us-000002', 'us-gov']);
    const csv = await auditor().GET('/funds/{fundId}/lps', { params: { path, query }, headers: { Accept: 'text/csv' }, parseAs: 'text' });
    expect(String(csv.data).trim().split('\n')).toHaveLength(6);
    const account = await clientAs('retail-us-000001').GET('/funds/{fundId}/lps/{lpId}', { params: { path: { ...path, lpId: 'retail-us-000001' }, query } });
    expect(account.data!.lpId).toBe('retail-us-000001');
    const ilpa = await clientAs('retail-us-000001').GET('/funds/{fundId}/lps/{lpId}/ilpa-statement', {
      params: { path: { ...path, lpId: 'retail-us-000001' }, query: { ...query, from: '2026-07-01' } },
    });
    expect(json(ilpa.data).rollForward.endingNav.inceptionToDate).toBe(account.data!.rollForward.endingNav);
    const ilpaCsv = await auditor().GET('/funds/{fundId}/lps/{lpId}/ilpa-statement', {
      params: { path: { ...path, lpId: 'retail-jp-000001' }, query: { ...query, format: 'csv' } },
      parseAs: 'text',
    });
    expect(String(ilpaCsv.data).split('\n')[0]).toBe('line,period,year_to_date,inception_to_date');
    const ledger = await clientAs('retail-us-000001').GET('/funds/{fundId}/lps/{lpId}/transactions', {
      params: { path: { ...path, lpId: 'retail-us-000001' }, query },
    });
    expect(ledger.data!.closing.nav).toBe(account.data!.rollForward.endingNav);
    const notice = await clientAs('retail-us-000001').GET('/funds/{fundId}/capital-calls/{callNumber}/notices/{lpId}', {
      params: { path: { ...path, callNumber: 1, lpId: 'retail-us-000001' } },
    });
    const called = json(notice.data);
    expect([called.amount, called.purposes.investments, called.purposes.managementFees]).toEqual(['1000.00', '950.00', '50.00']);
    const notices = await auditor().GET('/funds/{fundId}/capital-calls/{callNumber}/notices', {
      params: { path: { ...path, callNumber: 1 } },
      parseAs: 'text',
    });
    expect(String(notices.data).trim().split('\n')).toHaveLength(4);
    const paid = await auditor().GET('/funds/{fundId}/distributions/{distributionNumber}/notices/{lpId}', {
      params: { path: { ...path, distributionNumber: 1, lpId: 'retail-jp-000001' } },
    });
    const share = json(paid.data);
    // retail-jp-000001 holds 8,000.00 of its 10,000.00 since it transferred 2,000.00: its share of the distribution's return of capital is 20.00.
    expect([share.tiers?.returnOfCapital, share.yen?.rate.rate]).toEqual(['20.00', '150.00']);
    const allPaid = await auditor().GET('/funds/{fundId}/distributions/{distributionNumber}/notices', {
      params: { path: { ...path, distributionNumber: 1 } },
      parseAs: 'text',
    });
    expect(String(allPaid.data).trim().split('\n')).toHaveLength(5);
    const simulation = await clientAs('retail-us-000001').POST('/funds/{fundId}/simulations/lp-commitment', {
      params: { path },
      body: { amount: '10000.00', currency: 'USD', date: '2027-06-30', paths: 200 },
    });
    expect(json(simulation.data).fundId).toBe(FUND);
    const forward = await auditor().POST('/funds/{fundId}/simulations/fund', {
      params: { path },
      body: { from: '2026-12-31', paths: 50, lpId: 'retail-us-000001', parameters: { quarters: 8 } },
    });
    const fund = json(forward.data);
    expect([fund.quarters, fund.netAssets.length, fund.lp!.lpId]).toEqual([8, 9, 'retail-us-000001']);

    const page = await auditor().GET('/events', { params: { query: { limit: 5 } } });
    expect(page.data!.events).toHaveLength(5);
    expect((await auditor().GET('/events/verify')).data!.ok).toBe(true);
    expect((await auditor().GET('/funds/{fundId}/audit/verify', { params: { path } })).data!.ok).toBe(true);
    const allocations = await auditor().GET('/funds/{fundId}/audit/allocations', { params: { path } });
    expect(allocations.data!.map((a) => [a.allocationId, a.status])).toEqual([
      ['al-stargate-1', 'committed'],
      ['al-stargate-2', 'rejected'],
    ]);
    const trail = await auditor().GET('/funds/{fundId}/audit/allocations/{allocationId}', { params: { path: { ...path, allocationId: 'al-stargate-1' } } });
    expect(trail.data!.approvedBy).toEqual(['us-treasury', 'jp-mof']);
    const compliance = await auditor().GET('/funds/{fundId}/audit/compliance', { params: { path } });
    expect(compliance.data!.breaches).toBe(0);
    // Nothing awaits the managers: one allocation committed by both, the other rejected.
    const approvals = await auditor().GET('/funds/{fundId}/approvals', { params: { path } });
    expect(approvals.data).toEqual({ fundId: FUND, approvalsRequired: ['us-treasury', 'jp-mof'], pending: [] });
    const funds = await clientAs('retail-us-000001').GET('/funds');
    expect(funds.data!.map((f) => f.fundId)).toEqual([FUND]);
    // A platform's file previewed: the row without a country is refused with its field, nothing written.
    const batch = await operator().POST('/funds/{fundId}/commitment-batches', {
      params: { path },
      body: { rows: [{ lpId: 'retail-us-000777', kind: 'retail', amount: '5000.00', currency: 'USD', effectiveDate: '2026-12-01' }], preview: true },
    });
    expect(batch.data).toMatchObject({
      preview: true,
      written: false,
      accepted: 0,
      refused: 1,
      rows: [{ row: 1, ok: false, code: 'VALIDATION_FAILED', field: 'country' }],
    });
    const jsonl = await auditor().GET('/funds/{fundId}/events/export', { params: { path }, parseAs: 'text' });
    const lines = String(jsonl.data)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string });
    expect(lines[0].type).toBe('FundEstablished');
    const trailsCsv = await auditor().GET('/funds/{fundId}/events/export', { params: { path, query: { format: 'csv', what: 'trails' } }, parseAs: 'text' });
    expect(String(trailsCsv.data)).toContain('al-stargate-2');

    expect((await clientAs('anonymous').GET('/health')).data!.status).toBe('ok');
    expect((await clientAs('retail-us-000001').GET('/me')).data).toMatchObject({ role: 'lp', subject: 'retail-us-000001', fundId: FUND });
    let ready = await clientAs('anonymous').GET('/health/ready');
    for (let i = 0; i < 50 && ready.response.status !== 200; i++) ready = await clientAs('anonymous').GET('/health/ready');
    expect(ready.data!.status).toBe('ready');
    const metrics = await clientAs('admin').GET('/metrics', { parseAs: 'text' });
    expect(String(metrics.data)).toContain('fundsim_log_head_position');
  }, 60_000);

  it('streams the balance sheet as server-sent events whose data is a BalanceSheet', async () => {
    const { response, data } = await auditor().GET('/funds/{fundId}/balance-sheet/stream', {
      params: { path, query: { asOf: '2026-12-31' } },
      parseAs: 'stream',
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (data as unknown as ReadableStream<Uint8Array>).getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
    const message = Object.fromEntries(
      text
        .split('\n\n')[0]
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
    );
    expect(message.event).toBe('balance-sheet');
    expect(Number(message.id)).toBeGreaterThan(0);
    const validate = ajv.compile({ $ref: 'openapi.json#/components/schemas/BalanceSheet' });
    expect(validate(JSON.parse(message.data))).toBe(true);
  }, 30_000);

  it('answers errors with the documented ErrorBody: 400, 401, 403, 404, 409, 422', async () => {
    const bad = await auditor().GET('/funds/{fundId}/balance-sheet', { params: { path, query: { asOf: '2027-13-45' } } });
    expect([bad.response.status, bad.error?.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await clientAs('anonymous').GET('/funds/{fundId}/performance', { params: { path } })).response.status).toBe(401);
    expect((await operator().GET('/funds/{fundId}/audit/compliance', { params: { path } })).response.status).toBe(403);
    const missing = await auditor().GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'nope' } } });
    expect([missing.response.status, missing.error?.code]).toEqual([404, 'FUND_NOT_ESTABLISHED']);
    const reused = await manager().POST('/funds/{fundId}/capital-calls', {
      params: { path, header: { 'Idempotency-Key': 'call-1' } },
      body: { effectiveDate: '2026-07-01', percentage: '0.20' },
    });
    expect([reused.response.status, reused.error?.code]).toEqual([409, 'IDEMPOTENCY_CONFLICT']);
    const refused = await other().POST('/funds/{fundId}/credit-facilities/{facilityId}/draws', {
      params: { path: { ...path, facilityId: 'jbic' } },
      body: { effectiveDate: '2026-12-01', amount: '999000000000.00' },
    });
    expect(refused.response.status).toBe(422);
    expect(refused.error?.message).toBeTruthy();
  }, 30_000);

  it('called every operation of the document, and every answer matched it', () => {
    const operations = Object.entries(spec.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method} ${path}`));
    const called = new Set([...answered].map((a) => a.split(' ').slice(0, 2).join(' ')));
    expect(operations.filter((o) => !called.has(o))).toEqual([]);
    expect(invalid).toEqual([]);
  });
});

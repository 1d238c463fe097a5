import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { apiOverScenarios, type asPrincipals } from '../testing/principals';

/** Notices over HTTP, on scenarios/first-close.json (a 10% call due 2026-07-31). */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-notices-api-'));
let app: INestApplication;
let as: ReturnType<typeof asPrincipals>;

beforeAll(async () => {
  ({ app, as } = await apiOverScenarios(join(dir, 'fundsim.db')));
});

afterAll(async () => {
  await app.close();
  delete process.env.FUNDSIM_STORE;
  rmSync(dir, { recursive: true, force: true });
});

const binary = (res: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (e: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('capital call notices over HTTP', () => {
  it("serves an LP's notice as JSON: 10% of the yen LP's ¥1,500,000 at 150.00 is 1,000.00, ¥150,000", async () => {
    const notice = (await as.get('/funds/usjp/capital-calls/1/notices/retail-jp-000001').expect(200)).body;
    expect(notice).toMatchObject({
      notice: 'capital-call',
      callNumber: 1,
      dueDate: '2026-07-31',
      commitment: '10000.00',
      amount: '1000.00',
      unfundedBefore: '10000.00',
      unfundedAfter: '9000.00',
      callTotal: '20000002000.00',
    });
    expect(notice.yen).toMatchObject({
      rate: { rate: '150.00', recordedFor: '2026-03-31' },
      amount: '150000',
      commitment: '1500000',
      unfundedAfter: '1350000',
    });
  });

  it("streams every LP's notice as JSON lines, summing to the call's total", async () => {
    const res = await as.get('/funds/usjp/capital-calls/1/notices').expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const notices = res.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(notices.map((n) => n.lpId)).toEqual(['jp-gov', 'retail-jp-000001', 'retail-us-000001', 'us-gov']);
    // 9,000,000,000.00 + 1,000.00 + 1,000.00 + 11,000,000,000.00 (docs/accounting.md).
    const cents = notices.reduce((sum, n) => sum + BigInt(n.amount.replace('.', '')), 0n);
    expect(cents).toBe(2000000200000n);
  });

  it('serves the notice as a PDF when asked by Accept or ?format=pdf', async () => {
    for (const res of [
      await as
        .get('/funds/usjp/capital-calls/1/notices/retail-us-000001')
        .set('Accept', 'application/pdf')
        .buffer(true)
        .parse(binary as never)
        .expect(200),
      await as
        .get('/funds/usjp/capital-calls/1/notices/retail-us-000001?format=pdf')
        .buffer(true)
        .parse(binary as never)
        .expect(200),
    ]) {
      expect(res.headers['content-type']).toBe('application/pdf');
      expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    }
  });

  it('lets an LP read its own notice only, and not the whole call', async () => {
    expect((await as.get('/funds/usjp/capital-calls/1/notices/retail-us-000001', 'retail-us-000001').expect(200)).body.amount).toBe('1000.00');
    expect((await as.get('/funds/usjp/capital-calls/1/notices/jp-gov', 'retail-us-000001').expect(403)).body.code).toBe('NOT_YOUR_ACCOUNT');
    await as.get('/funds/usjp/capital-calls/1/notices/jp-gov?format=pdf', 'retail-us-000001').expect(403);
    await as.get('/funds/usjp/capital-calls/1/notices', 'retail-us-000001').expect(403);
    await as.get('/funds/usjp/capital-calls/1/notices/retail-us-000001', 'us-treasury').expect(200);
  });

  it('answers 404 with a code for an unknown call, distribution or LP, and 400 for a malformed one', async () => {
    expect((await as.get('/funds/usjp/capital-calls/9/notices/retail-us-000001').expect(404)).body.code).toBe('UNKNOWN_CALL');
    expect((await as.get('/funds/usjp/capital-calls/9/notices').expect(404)).body.code).toBe('UNKNOWN_CALL');
    expect((await as.get('/funds/usjp/capital-calls/1/notices/nobody').expect(404)).body.code).toBe('UNKNOWN_LP');
    expect((await as.get('/funds/usjp/distributions/1/notices/retail-us-000001').expect(404)).body.code).toBe('UNKNOWN_DISTRIBUTION');
    expect((await as.get('/funds/usjp/distributions/1/notices').expect(404)).body.code).toBe('UNKNOWN_DISTRIBUTION');
    expect((await as.get('/funds/nofund/capital-calls/1/notices').expect(404)).body.code).toBe('FUND_NOT_ESTABLISHED');
    await as.get('/funds/usjp/capital-calls/x/notices/retail-us-000001').expect(400);
    await as.get('/funds/usjp/capital-calls/1/notices/retail-us-000001?format=docx').expect(400);
    await request(app.getHttpServer()).get('/funds/usjp/capital-calls/1/notices').expect(401);
  });
});

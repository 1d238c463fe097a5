/**
 * npm run bench:dashboard — the dashboard over a fund of BENCH_LPS retail LPs (default 1,000,000).
 *
 * Loads the demo fund with that many retail LPs into a fresh SQLite store, starts the built API on
 * it, and drives Debian's Chromium (playwright-core) through each page as a user would, timing
 * until the page shows its figures. Baseline, in the same run: the same API calls the page makes,
 * sent one after another from this process (fetch), so the ratio says what the page adds.
 * Target: each page within 2x its API calls, and under 5 s.
 *
 *   BENCH_LPS=1000000 npm run bench:dashboard
 */
import { DemoService, KeyService, ScenarioService } from '@fundsim/application';
import { SqliteEventStore } from '@fundsim/event-store';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { startApi } from '../apps/api/src/testing/server';

const LPS = Number(process.env.BENCH_LPS ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'fundsim-dashboard-'));
const seconds = (start: number) => (performance.now() - start) / 1000;
const quarterEnds = Array.from({ length: 40 }, (_, i) => `${2026 + Math.floor(i / 4)}-${['03-31', '06-30', '09-30', '12-31'][i % 4]}`);

async function main() {
  const path = join(dir, 'fundsim.db');
  let started = performance.now();
  const store = new SqliteEventStore(path);
  const loaded = await new DemoService(store, new ScenarioService(store)).load({ retailLps: LPS });
  const keys = new KeyService(store);
  const auditor = (await keys.issue('auditor', undefined, 'bench')).key;
  const lp = (await keys.issue('lp', 'retail-us-000001', 'bench', 'usjp')).key;
  const manager = (await keys.issue('manager', 'jp-mof', 'bench')).key;
  const operator = (await keys.issue('operator', 'retail-platform', 'bench')).key;
  await store.close();
  console.log(
    `Demo: ${LPS.toLocaleString('en-US')} retail LPs, ${loaded.eventsWritten.toLocaleString('en-US')} events, loaded in ${seconds(started).toFixed(1)} s`,
  );

  started = performance.now();
  const api = await startApi({ FUNDSIM_STORE: `sqlite:${path}`, FUNDSIM_REQUEST_LOG: 'off', FUNDSIM_DEMO: 'off' }, 600_000);
  for (;;) if ((await fetch(`${api.url}/health/ready`)).status === 200) break;
  console.log(`API ready (books caught up) in ${seconds(started).toFixed(1)} s`);

  // A call: a GET, or a POST with its JSON body (a simulation, a file's preview).
  type Call = string | { post: string; body: unknown };
  const send = async (key: string, call: Call) => {
    const url = typeof call === 'string' ? call : call.post;
    const response = await fetch(`${api.url}${url}`, {
      headers: { Authorization: `Bearer ${key}`, ...(typeof call === 'string' ? {} : { 'Content-Type': 'application/json' }) },
      ...(typeof call === 'string' ? {} : { method: 'POST', body: JSON.stringify(call.body) }),
    });
    if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  };
  // The books' latest date, where every page opens (the demo's life: 2026-01-15 to 2035-12-31).
  const latest = '2035-12-31';
  // What every page asks first: who the key is, and the funds it may see.
  const signIn: Call[] = ['/me', '/funds'];
  const csvRows = Array.from({ length: 500 }, (_, i) => ({
    lpId: `bench-upload-${String(i).padStart(6, '0')}`,
    kind: 'retail',
    country: i % 2 ? 'JP' : 'US',
    amount: i % 2 ? '1500000' : '10000.00',
    currency: i % 2 ? 'JPY' : 'USD',
    effectiveDate: latest,
  }));
  const csv = [
    'lp_id,kind,country,amount,currency,effective_date',
    ...csvRows.map((r) => [r.lpId, r.kind, r.country, r.amount, r.currency, r.effectiveDate].join(',')),
  ].join('\n');
  type Tab = Awaited<ReturnType<Awaited<ReturnType<typeof chromium.launch>>['newPage']>>;
  // The calls each page makes, one after another (the page sends four balance sheets at a time); `act` is what the user does once the page is up.
  const pages: { name: string; hash: string; key: string; ready: string[]; calls: Call[]; act?: (tab: Tab) => Promise<void> }[] = [
    {
      name: 'Fund (its date, then 40 quarter ends)',
      hash: '#/fund',
      key: auditor,
      ready: ['[data-testid=chart-over-time] canvas', '[data-testid=figures][aria-busy=false]'],
      calls: [
        ...signIn,
        `/funds/usjp/balance-sheet?asOf=${latest}`,
        ...quarterEnds.map((d) => `/funds/usjp/balance-sheet?asOf=${d}`),
        '/funds/usjp/events?type=CloseHeld,MilestoneRecorded&limit=1000',
      ],
    },
    {
      name: 'Approvals (the queue, the allocations)',
      hash: '#/approvals',
      key: manager,
      ready: ['[data-testid=awaiting-me]', '[data-testid=awaiting-others]'],
      calls: [...signIn, '/funds/usjp/approvals', '/funds/usjp/audit/allocations', '/funds'],
    },
    {
      name: 'Waterfall and revenue (2 managers)',
      hash: '#/governments',
      key: auditor,
      ready: ['[data-testid=waterfall]', '[data-testid=chart-revenue] canvas'],
      calls: [
        ...signIn,
        `/funds/usjp/waterfall?asOf=${latest}`,
        `/funds/usjp/managers/us-treasury/revenue?to=${latest}`,
        `/funds/usjp/managers/jp-mof/revenue?to=${latest}`,
      ],
    },
    {
      name: "The fund's future (1,000 paths)",
      hash: '#/future',
      key: auditor,
      ready: ['[data-testid=future]'],
      calls: [...signIn, { post: '/funds/usjp/simulations/fund', body: { from: latest, scenario: 'base', paths: 1000, seed: 42 } }],
      act: async (tab) => {
        await tab.getByLabel('Monte Carlo paths').fill('1000');
        await tab.getByRole('button', { name: 'Run' }).click();
      },
    },
    {
      name: 'Simulate a commitment (2,000 paths)',
      hash: '#/simulate',
      key: lp,
      ready: ['[data-testid=simulation]'],
      calls: [
        ...signIn,
        {
          post: '/funds/usjp/simulations/lp-commitment',
          body: { amount: '10000.00', currency: 'USD', date: '2026-12-31', scenario: 'base', paths: 2000 },
        },
      ],
      act: async (tab) => {
        await tab.getByLabel('Committed on').fill('2026-12-31');
        await tab.getByRole('button', { name: 'Simulate' }).click();
      },
    },
    {
      name: 'My account',
      hash: '#/account',
      key: lp,
      ready: ['[data-testid=statement]'],
      calls: [...signIn, `/funds/usjp/lps/retail-us-000001?asOf=${latest}&from=2035-01-01`],
    },
    {
      name: 'Notices and ledger',
      hash: '#/ledger',
      key: lp,
      ready: ['[data-testid=ledger]'],
      calls: [...signIn, `/funds/usjp/lps/retail-us-000001/transactions?asOf=${latest}`],
    },
    {
      name: 'Upload: a 500-row CSV previewed',
      hash: '#/upload',
      key: operator,
      ready: ['[data-testid=preview]'],
      calls: [...signIn, { post: '/funds/usjp/commitment-batches', body: { rows: csvRows, preview: true } }],
      act: async (tab) => {
        await tab.getByLabel('The CSV file').setInputFiles({ name: 'platform.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      },
    },
    {
      name: 'Audit (the chain verified over the whole log)',
      hash: '#/audit',
      key: auditor,
      ready: ['[data-testid=compliance]', '[data-testid=verify]', '[data-testid=allocations]'],
      calls: [...signIn, '/funds/usjp/audit/allocations', '/funds/usjp/audit/verify', '/funds/usjp/audit/compliance'],
    },
  ];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  console.log('\npage                                             API calls alone   in the browser   ratio');
  for (const page of pages) {
    // Warm once (the first as-of read of a date pays its register pass), then measure.
    for (const call of page.calls) await send(page.key, call);
    const t0 = performance.now();
    for (const call of page.calls) await send(page.key, call);
    const baseline = seconds(t0);
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Signed in already: the key in the tab's session storage before the page's script runs.
    await tab.addInitScript(`sessionStorage.setItem('fundsim.key', ${JSON.stringify(page.key)})`);
    const t1 = performance.now();
    await tab.goto(`${api.url}/${page.hash}`);
    if (page.act) {
      await tab.getByTestId('fund-life').waitFor({ timeout: 120_000 });
      await page.act(tab);
    }
    for (const selector of page.ready) await tab.waitForSelector(selector, { timeout: 120_000 });
    const inBrowser = seconds(t1);
    await tab.close();
    console.log(
      `${page.name.padEnd(48)} ${`${baseline.toFixed(2)} s`.padStart(15)} ${`${inBrowser.toFixed(2)} s`.padStart(16)} ${(inBrowser / baseline).toFixed(2).padStart(7)}`,
    );
  }
  await browser.close();
  await api.stop();
  console.log(`\nPeak RSS of this process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
  rmSync(dir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  console.error(error);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});

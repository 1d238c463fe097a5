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
  await store.close();
  console.log(
    `Demo: ${LPS.toLocaleString('en-US')} retail LPs, ${loaded.eventsWritten.toLocaleString('en-US')} events, loaded in ${seconds(started).toFixed(1)} s`,
  );

  started = performance.now();
  const api = await startApi({ FUNDSIM_STORE: `sqlite:${path}`, FUNDSIM_REQUEST_LOG: 'off', FUNDSIM_DEMO: 'off' }, 600_000);
  for (;;) if ((await fetch(`${api.url}/health/ready`)).status === 200) break;
  console.log(`API ready (books caught up) in ${seconds(started).toFixed(1)} s`);

  const get = async (key: string, url: string) => {
    const response = await fetch(`${api.url}${url}`, { headers: { Authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`${url}: ${response.status}`);
    await response.arrayBuffer();
  };
  // The calls each page makes, one after another (the page sends four balance sheets at a time).
  const pages: { name: string; hash: string; key: string; ready: string; calls: string[] }[] = [
    {
      name: 'Fund (the date, then 40 quarter ends)',
      hash: '#/fund',
      key: auditor,
      ready: '[data-testid=chart-over-time] canvas',
      calls: [
        '/funds/usjp/balance-sheet?asOf=2030-12-31',
        ...quarterEnds.map((d) => `/funds/usjp/balance-sheet?asOf=${d}`),
        '/funds/usjp/events?type=CloseHeld,MilestoneRecorded&limit=1000',
      ],
    },
    {
      name: 'My account',
      hash: '#/account',
      key: lp,
      ready: '[data-testid=statement]',
      calls: ['/funds/usjp/lps/retail-us-000001?asOf=2027-12-31&from=2027-01-01'],
    },
    {
      name: 'Audit',
      hash: '#/audit',
      key: auditor,
      ready: '[data-testid=compliance]',
      calls: ['/funds/usjp/audit/allocations', '/funds/usjp/audit/verify', '/funds/usjp/audit/compliance'],
    },
  ];
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  console.log('\npage                                     API calls alone   in the browser   ratio');
  for (const page of pages) {
    // Warm once (the first as-of read of a date pays its register pass), then measure.
    for (const call of page.calls) await get(page.key, call);
    const t0 = performance.now();
    for (const call of page.calls) await get(page.key, call);
    const baseline = seconds(t0);
    const tab = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Signed in already: the key in the tab's session storage before the page's script runs.
    await tab.addInitScript(`sessionStorage.setItem('fundsim.key', ${JSON.stringify(page.key)})`);
    const t1 = performance.now();
    await tab.goto(`${api.url}/${page.hash}`);
    await tab.waitForSelector(page.ready, { timeout: 120_000 });
    const inBrowser = seconds(t1);
    await tab.close();
    console.log(
      `${page.name.padEnd(40)} ${`${baseline.toFixed(2)} s`.padStart(15)} ${`${inBrowser.toFixed(2)} s`.padStart(16)} ${(inBrowser / baseline).toFixed(2).padStart(7)}`,
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

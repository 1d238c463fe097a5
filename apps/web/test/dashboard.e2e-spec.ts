/// <reference lib="dom" />
/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core (which
 * downloads no browser of its own), against the built API on localhost with the demo fund loaded.
 * Each page is checked against the API's own figures, with an automated accessibility check
 * (axe-core: no serious or critical violation); a screenshot of each is saved in
 * artifacts/screenshots (and, with UPDATE_SCREENSHOTS=1, in docs/screenshots for docs/dashboard.md).
 */
import { apiClient, type ApiClient } from '@fundsim/api-client';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/src/testing/server';
import { execFileSync } from 'node:child_process';
import { lifeQuarterEnds, money, openingQuarterEnd, percent } from '../src/format';

/** A simulation answered as JSON (the route streams JSON lines only when asked to). */
function jsonOf<T>(data: T | string | undefined): T {
  if (data === undefined || typeof data === 'string') throw new Error(`expected a JSON answer, got ${String(data).slice(0, 80)}`);
  return data;
}

const ROOT = join(__dirname, '..', '..', '..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(ROOT, 'artifacts', 'screenshots');
const dir = mkdtempSync(join(tmpdir(), 'fundsim-web-'));
let api: RunningApi;
let browser: Browser;
let keys: Record<string, string>;
const as = (who: string): ApiClient => apiClient(api.url, keys[who]);
/** A fund as GET /funds lists it for the auditor (every fund). */
const fundOf = async (fundId: string) => (await as('auditor').GET('/funds')).data!.find((f) => f.fundId === fundId)!;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  const keysFile = join(dir, 'keys.json');
  api = await startApi({ FUNDSIM_STORE: `sqlite:${join(dir, 'fundsim.db')}`, FUNDSIM_DEMO_KEYS: keysFile, FUNDSIM_REQUEST_LOG: 'off' }, 120_000);
  keys = Object.fromEntries(
    (JSON.parse(readFileSync(keysFile, 'utf8')) as { role: string; subject: string | null; key: string }[]).map((k) => [k.subject ?? k.role, k.key]),
  );
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  mkdirSync(SHOTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signedIn(who: string, hash = '', viewport = { width: 1280, height: 800 }): Promise<Page> {
  const page = await browser.newPage({ viewport, acceptDownloads: true });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Console errors other than the API's own refusals (a 4xx a test provokes is shown on the page).
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  page.on('response', (r) => r.status() >= 500 && errors.push(`${r.status()} ${r.url()}`));
  (page as Page & { errors: string[] }).errors = errors;
  await page.goto(`${api.url}/${hash}`);
  await page.getByLabel('Your API key').fill(keys[who]);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('who').waitFor();
  return page;
}

/** axe-core in the page (evaluated, so the page's CSP stays on): its serious and critical violations. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }
    ).axe.run();
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  return violations;
}

/** No script error and no 5xx while the page was open. */
function noErrors(page: Page): void {
  expect((page as Page & { errors: string[] }).errors).toEqual([]);
}

async function shot(page: Page, name: string): Promise<void> {
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(join(ROOT, 'docs', 'screenshots'), { recursive: true });
    copyFileSync(file, join(ROOT, 'docs', 'screenshots', `${name}.png`));
  }
}

/** Whether a canvas has anything drawn on it. */
const drawn = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('canvas')
    .evaluate((canvas: HTMLCanvasElement) => {
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let inked = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) inked++;
      return inked;
    });

describe('the dashboard in Chromium', () => {
  it("Fund: the balance sheet on its latest quarter end, its charts over the fund's own life, each figure the API says", async () => {
    const fund = await fundOf('usjp');
    const dates = lifeQuarterEnds(fund);
    const opening = openingQuarterEnd(fund);
    expect(dates.at(-1)).toBe(opening);
    const page = await signedIn('auditor', '#/fund');
    const sheetOn = async (asOf: string) =>
      (await as('auditor').GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'usjp' }, query: { asOf } } })).data!;
    await page.getByLabel(`Balance sheet as of ${opening}`).waitFor();
    const sheet = await sheetOn(opening);
    await page.locator(`[data-testid=figures][data-as-of="${opening}"][aria-busy=false]`).waitFor();
    await expect(page.getByTestId('net-assets').textContent()).resolves.toBe(money(sheet.netAssets));
    await expect(page.getByTestId('debt').textContent()).resolves.toBe(money(sheet.liabilities.debt));
    await page.getByTestId('chart-over-time').waitFor();
    for (const chart of ['chart-sectors', 'chart-projects', 'chart-over-time', 'chart-leverage'])
      expect([chart, (await drawn(page, chart)) > 1000]).toEqual([chart, true]);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Close 1');
    // The over-time table has one row a quarter end of the fund's life, from its first to its latest.
    await expect(page.getByTestId('chart-over-time').locator('tbody tr').count()).resolves.toBe(dates.length);
    // The slider, by keyboard: one quarter back.
    await page.getByLabel(/Balance sheet as of/).focus();
    await page.keyboard.press('ArrowLeft');
    const previous = dates.at(-2)!;
    await page.getByLabel(`Balance sheet as of ${previous}`).waitFor();
    const next = await sheetOn(previous);
    await page
      .getByTestId('net-assets')
      .filter({ hasText: money(next.netAssets) })
      .waitFor();
    // Five quarters back at once: only the last date's answer shows, whatever order the answers come in.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    const target = dates.at(-7)!;
    const last = await sheetOn(target);
    await page.locator(`[data-testid=figures][data-as-of="${target}"][aria-busy=false]`).waitFor();
    await expect(page.getByTestId('net-assets').textContent()).resolves.toBe(money(last.netAssets));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'fund');
    noErrors(page);
    await page.close();
  }, 120_000);

  it('Simulate: opens on the last date the fund takes commitments, gives the API figures, net of carry with gross beside, and a bad amount shows its reason', async () => {
    const fund = await fundOf('usjp');
    // By its latest date the demo is at its hard cap: GET /funds says so, with the close's code, and the last date open (the eve of its last close).
    expect(fund.takesCommitments).toMatchObject({ open: false, code: 'HARD_CAP_REACHED', lastOpenDate: '2027-06-30' });
    const onLatest = await as('retail-us-000001').POST('/funds/{fundId}/simulations/lp-commitment', {
      params: { path: { fundId: 'usjp' } },
      body: { amount: '10000.00', currency: 'USD', date: fund.latestDate, scenario: 'base', paths: 500 },
    });
    expect(onLatest.error?.code).toBe('HARD_CAP_REACHED');
    const page = await signedIn('retail-us-000001', '#/simulate');
    // So the page says the fund is closed to new commitments, and opens on the last date it was open, where a commitment is admitted.
    await expect(page.getByTestId('closed').textContent()).resolves.toContain('HARD_CAP_REACHED');
    await expect(page.getByLabel('Committed on').inputValue()).resolves.toBe('2027-06-30');
    await page.getByLabel('Monte Carlo paths').fill('500');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByTestId('simulation').waitFor();
    // A date the fund still admits commitments on.
    const date = '2026-12-31';
    await page.getByLabel('Committed on').fill(date);
    await page.getByLabel('Amount (USD)').fill('10000.00');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByTestId('simulation').waitFor();
    const simulation = jsonOf(
      (
        await as('retail-us-000001').POST('/funds/{fundId}/simulations/lp-commitment', {
          params: { path: { fundId: 'usjp' } },
          body: { amount: '10000.00', currency: 'USD', date, scenario: 'base', paths: 500 },
        })
      ).data,
    );
    await expect(page.getByTestId('ownership').textContent()).resolves.toBe(percent(simulation.admission.ownership));
    const { netOfCarry, gross } = simulation.results.USD;
    expect(netOfCarry).not.toBeNull();
    await page.getByText('IRR median (USD, net of carry)').waitFor();
    await expect(page.getByTestId('irr-p50').textContent()).resolves.toBe(percent(netOfCarry!.irr.p50));
    await expect(page.getByTestId('simulation').textContent()).resolves.toContain(`gross of carry: ${percent(gross.irr.p50)}`);
    // The catch-up is the LP's capital; only the equalization interest is a cost.
    await expect(page.getByTestId('catch-up').textContent()).resolves.toBe(money(simulation.admission.catchUpUsd));
    await expect(page.getByTestId('equalization-interest').textContent()).resolves.toBe(money(simulation.admission.equalizationInterestUsd));
    await expect(page.getByTestId('simulation').textContent()).resolves.not.toContain('Joining costs');
    await expect(page.getByTestId('outcomes').textContent()).resolves.toContain('Ending NAV net of carry');
    await expect(page.getByTestId('outcomes').textContent()).resolves.not.toContain('ENDINGNAV');
    expect(await drawn(page, 'chart-j-curve')).toBeGreaterThan(1000);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'simulate');

    noErrors(page);
    await page.getByLabel('Amount (USD)').fill('ten thousand');
    await page.getByRole('button', { name: 'Simulate' }).click();
    const reason = page.locator('#amount-error');
    await reason.waitFor();
    await expect(reason.textContent()).resolves.toContain('amount must be a decimal string');
    await expect(page.getByLabel('Amount (USD)').getAttribute('aria-invalid')).resolves.toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    // A yen investor sees its outcomes in yen.
    await page.getByLabel('Currency').selectOption('JPY');
    await page.getByLabel('Amount (JPY)').fill('1500000');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByText('IRR median (JPY, net of carry)').waitFor();
    const yen = jsonOf(
      (
        await as('retail-us-000001').POST('/funds/{fundId}/simulations/lp-commitment', {
          params: { path: { fundId: 'usjp' } },
          body: { amount: '1500000', currency: 'JPY', date, scenario: 'base', paths: 500 },
        })
      ).data,
    );
    await expect(page.getByTestId('irr-p50').textContent()).resolves.toBe(percent((yen.results.JPY!.netOfCarry ?? yen.results.JPY!.gross).irr.p50));
    await page.close();
  }, 120_000);

  it('My account: an LP sees its own statement, downloads it, and cannot open another LP account', async () => {
    const latest = openingQuarterEnd(await fundOf('usjp'));
    const from = `${latest.slice(0, 4)}-01-01`;
    const page = await signedIn('retail-us-000001', '#/account');
    await page.getByTestId('statement').waitFor();
    // It opens on the books' latest quarter, for the year it is in.
    await expect(page.getByLabel('To (as of)').inputValue()).resolves.toBe(latest);
    const account = (
      await as('retail-us-000001').GET('/funds/{fundId}/lps/{lpId}', {
        params: { path: { fundId: 'usjp', lpId: 'retail-us-000001' }, query: { from, asOf: latest } },
      })
    ).data!;
    // Net of carry, with gross beside it.
    await expect(page.getByTestId('performance').locator('tbody tr').count()).resolves.toBe(account.performance.length + account.grossPerformance.length);
    if (account.grossPerformance.length)
      await expect(page.getByTestId('statement').textContent()).resolves.toContain(`gross of carry: ${money(account.grossNav)}`);
    await expect(page.getByTestId('lp-ownership').textContent()).resolves.toBe(percent(account.ownership));
    await expect(page.getByTestId('ending-nav').textContent()).resolves.toBe(money(account.rollForward.endingNav));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'account');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the statement (CSV)' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('fund_id,lp_id,from_date,as_of,line,currency,amount');
    expect(csv).toContain(`usjp,retail-us-000001,${from},${latest},ending_nav,USD,${account.rollForward.endingNav}`);

    await page.goto(`${api.url}/#/account?lp=retail-jp-000001`);
    await page.reload();
    const refused = page.getByTestId('failure');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toContain('403 NOT_YOUR_ACCOUNT');
    await expect(page.getByTestId('statement').count()).resolves.toBe(0);
    noErrors(page);
    await page.close();
  }, 120_000);

  it('Audit: allocations, a trail and compliance as the API has them, updated live when an event is appended', async () => {
    const page = await signedIn('auditor', '#/audit');
    await page.getByTestId('allocations').waitFor();
    const allocations = (await as('auditor').GET('/funds/{fundId}/audit/allocations', { params: { path: { fundId: 'usjp' } } })).data!;
    await expect(page.getByTestId('allocations').locator('tbody tr').count()).resolves.toBe(allocations.length);
    await page.getByRole('button', { name: 'Trail of al-stargate-1' }).click();
    await page.getByTestId('trail').waitFor();
    const trail = (
      await as('auditor').GET('/funds/{fundId}/audit/allocations/{allocationId}', { params: { path: { fundId: 'usjp', allocationId: 'al-stargate-1' } } })
    ).data!;
    await expect(page.getByTestId('trail').locator('tbody tr').count()).resolves.toBe(trail.lines.length);
    const compliance = (await as('auditor').GET('/funds/{fundId}/audit/compliance', { params: { path: { fundId: 'usjp' } } })).data!;
    await expect(page.getByTestId('compliance').textContent()).resolves.toContain(`${compliance.checkedEvents} events checked`);
    await page.getByTestId('live').filter({ hasText: 'up to position' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'audit');

    // A valuation of Stargate is appended: the page follows, its trail one line longer.
    const valued = await as('market-data').POST('/funds/{fundId}/projects/{projectId}/valuations', {
      params: { path: { fundId: 'usjp', projectId: 'stargate' } },
      body: { effectiveDate: '2036-01-05', fairValue: '60000000000.00' },
    });
    expect(valued.response.status).toBe(201);
    await page
      .getByTestId('live')
      .filter({ hasText: `up to position ${valued.data!.position}` })
      .waitFor({ timeout: 20_000 });
    await page.getByTestId('trail').locator('tbody tr').nth(trail.lines.length).waitFor({ timeout: 20_000 });
    await expect(page.getByTestId('verify').textContent()).resolves.toMatch(/^Verified: \d+ events, head hash [0-9a-f]{64}$/);
    noErrors(page);
    await page.close();
  }, 120_000);

  it('refuses an unknown key at sign-in, saying why, and serves the page whatever its query', async () => {
    const page = await browser.newPage();
    await page.goto(`${api.url}/?utm_source=mail`);
    await page.getByLabel('Your API key').fill('fsk_0000000000000000_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const refused = page.getByTestId('failure');
    await refused.waitFor();
    await expect(refused.textContent()).resolves.toMatch(/401 (INVALID_CREDENTIAL|UNAUTHENTICATED)/);
    await expect(page.getByTestId('who').count()).resolves.toBe(0);
    await page.close();
  }, 60_000);

  it('works on a phone-sized screen and by keyboard alone', async () => {
    const page = await signedIn('auditor', '#/fund', { width: 390, height: 844 });
    await page.getByTestId('net-assets').waitFor();
    // Nothing wider than the screen: tables scroll inside their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'fund-phone');
    // Tab to the navigation, open the audit with Enter.
    await page.keyboard.press('Tab');
    for (let i = 0; i < 20 && !(await page.evaluate(() => document.activeElement?.textContent === 'Audit')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Audit of the allocation log' }).waitFor();
    await page.close();
  }, 120_000);

  it('any fund: one loaded from a scenario file is listed, picked and shown on its own dates; an LP key sees only its own fund', async () => {
    // A second fund, as a user loads one: a scenario file (the first close and the first allocation, as fund "pacific") applied with the CLI.
    const commands = ['first-close.json', 'first-allocation.json'].flatMap(
      (f) => (JSON.parse(readFileSync(join(ROOT, 'scenarios', f), 'utf8')) as { commands: Record<string, unknown>[] }).commands,
    );
    commands[0] = { ...commands[0], name: 'Pacific Infrastructure Fund' };
    const file = join(dir, 'pacific.json');
    writeFileSync(file, JSON.stringify({ fundId: 'pacific', commands }));
    execFileSync(process.execPath, [join(ROOT, 'bin', 'fundsim.js'), 'apply', file, '--store', `sqlite:${join(dir, 'fundsim.db')}`], { stdio: 'pipe' });

    const listed = (await as('auditor').GET('/funds')).data!;
    expect(listed.map((f) => f.fundId)).toEqual(['usjp', 'pacific']);
    const pacific = listed[1];
    expect(pacific).toMatchObject({
      name: 'Pacific Infrastructure Fund',
      firstDate: '2026-01-15',
      latestDate: '2026-09-30',
      managers: ['us-treasury', 'jp-mof'],
      // After its first close, far under its hard cap: it takes commitments.
      takesCommitments: { open: true, code: null, reason: null, lastOpenDate: null },
    });
    // Who sees which: a manager the funds naming it, an LP key only the fund it is an LP of.
    expect((await as('us-treasury').GET('/funds')).data!.map((f) => f.fundId)).toEqual(['usjp', 'pacific']);
    expect((await as('retail-us-000001').GET('/funds')).data!.map((f) => f.fundId)).toEqual(['usjp']);

    const page = await signedIn('auditor', '#/fund');
    await page.getByLabel('Fund', { exact: true }).selectOption('pacific');
    await page.getByTestId('fund-life').filter({ hasText: 'Pacific Infrastructure Fund: books from 2026-01-15 to 2026-09-30' }).waitFor();
    // Its own life: three quarter ends, opening on the latest.
    await page.getByLabel('Balance sheet as of 2026-09-30').waitFor();
    const sheet = (await as('auditor').GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'pacific' }, query: { asOf: '2026-09-30' } } })).data!;
    await page.locator('[data-testid=figures][data-as-of="2026-09-30"][aria-busy=false]').waitFor();
    await expect(page.getByTestId('net-assets').textContent()).resolves.toBe(money(sheet.netAssets));
    await page.getByTestId('chart-over-time').waitFor();
    await expect(page.getByTestId('chart-over-time').locator('tbody tr').count()).resolves.toBe(3);
    await expect(page.getByTestId('chart-projects').textContent()).resolves.toContain('Stargate');
    expect(await seriousViolations(page)).toEqual([]);
    // Every page of the fund, as the auditor: its own figures, no error.
    await page.goto(`${api.url}/#/audit`);
    await page.getByTestId('allocations').locator('tbody tr').first().waitFor();
    await expect(page.getByTestId('allocations').textContent()).resolves.toContain('al-stargate-1');
    await page.goto(`${api.url}/#/governments`);
    await page.getByTestId('no-waterfall').waitFor();
    await page.goto(`${api.url}/#/ledger`);
    await page.getByTestId('ledger').waitFor();
    const firstLp = (await as('auditor').GET('/funds/{fundId}/lps', { params: { path: { fundId: 'pacific' }, query: { asOf: '2026-09-30', limit: 1 } } }))
      .data!;
    await page.getByRole('heading', { name: `Notices and ledger of ${(firstLp as { rows: { lpId: string }[] }).rows[0].lpId}` }).waitFor();
    await page.getByTestId('notices').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    noErrors(page);
    await page.close();
  }, 180_000);

  it('dual control: one manager proposes, the other approves in its own session, and the books change only after the second', async () => {
    const committed = async () =>
      (await as('auditor').GET('/funds/{fundId}/events', { params: { path: { fundId: 'pacific' }, query: { type: 'AllocationCommitted', limit: 1000 } } }))
        .data!.events.length;
    const statusOf = async (id: string) =>
      (await as('auditor').GET('/funds/{fundId}/audit/allocations', { params: { path: { fundId: 'pacific' } } })).data!.find((a) => a.allocationId === id)
        ?.status;
    const before = await committed();

    const us = await signedIn('us-treasury', '#/approvals');
    await us.getByLabel('Fund', { exact: true }).selectOption('pacific');
    const jp = await signedIn('jp-mof', '#/approvals');
    await jp.getByLabel('Fund', { exact: true }).selectOption('pacific');
    await jp.getByTestId('live').filter({ hasText: 'up to position' }).waitFor();
    await expect(jp.getByTestId('awaiting-me').textContent()).resolves.toContain('Nothing waits here');

    // A bad amount: the API's reason beside the field, nothing written.
    await us.getByLabel('Allocation id').fill('al-grid-1');
    await us.getByLabel('Project id').fill('stargate');
    await us.getByLabel('Amount (USD)').fill('a lot');
    await us.getByRole('button', { name: 'Propose' }).click();
    await us.locator('#allocation-amount-error').waitFor();
    expect(await statusOf('al-grid-1')).toBeUndefined();

    await us.getByLabel('Amount (USD)').fill('1000000000.00');
    await us.getByRole('button', { name: 'Propose' }).click();
    await us.getByTestId('done').filter({ hasText: 'Allocation al-grid-1 proposed' }).waitFor();
    await us.getByTestId('awaiting-others').filter({ hasText: 'al-grid-1' }).waitFor();
    await expect(us.getByTestId('awaiting-others').locator('tr[data-id="al-grid-1"]').textContent()).resolves.toContain('jp-mof');
    // Proposed: nothing committed yet.
    expect(await statusOf('al-grid-1')).toBe('proposed');
    expect(await committed()).toBe(before);

    // The other manager's page follows live (no reload): the proposal awaits it, with who proposed it.
    const row = jp.getByTestId('awaiting-me').locator('tr[data-id="al-grid-1"]');
    await row.waitFor({ timeout: 20_000 });
    await expect(row.textContent()).resolves.toContain('us-treasury');
    expect(await seriousViolations(jp)).toEqual([]);
    await shot(jp, 'approvals');
    await row.getByRole('button', { name: 'Approve al-grid-1' }).click();
    await jp.getByTestId('done').filter({ hasText: 'Allocation al-grid-1 approved' }).waitFor();
    expect(await statusOf('al-grid-1')).toBe('committed');
    expect(await committed()).toBe(before + 1);
    await us.getByTestId('awaiting-others').filter({ hasNotText: 'al-grid-1' }).waitFor({ timeout: 20_000 });

    // A rejection, with its reason: it ends the allocation, nothing committed.
    await us.getByLabel('Allocation id').fill('al-grid-2');
    await us.getByLabel('Amount (USD)').fill('2000000000.00');
    await us.getByRole('button', { name: 'Propose' }).click();
    const second = jp.getByTestId('awaiting-me').locator('tr[data-id="al-grid-2"]');
    await second.waitFor({ timeout: 20_000 });
    await second.getByRole('button', { name: 'Reject… al-grid-2' }).click();
    await jp.getByLabel('Reason for rejecting al-grid-2').fill('Over the sector budget');
    await jp.getByRole('button', { name: 'Reject', exact: true }).click();
    await jp.getByTestId('done').filter({ hasText: 'Allocation al-grid-2 rejected' }).waitFor();
    expect(await statusOf('al-grid-2')).toBe('rejected');
    expect(await committed()).toBe(before + 1);
    noErrors(us);
    noErrors(jp);
    await us.close();
    await jp.close();
  }, 180_000);

  it("the operator's CSV: checked row by row with the rules' codes, previewed, and written as one scenario only when no row is refused", async () => {
    const pacific = await fundOf('pacific');
    const commitments = async () =>
      (await as('auditor').GET('/funds/{fundId}/events', { params: { path: { fundId: 'pacific' }, query: { type: 'CapitalCommitted', limit: 1000 } } })).data!
        .events.length;
    const before = await commitments();
    const csv = (amount: string) =>
      [
        'lp_id,kind,country,amount,currency,effective_date',
        `retail-us-700001,retail,US,10000.00,USD,${pacific.latestDate}`,
        `retail-jp-700002,retail,JP,1500000,JPY,${pacific.latestDate}`,
        `retail-us-700003,retail,US,${amount},USD,${pacific.latestDate}`,
      ].join('\n');
    const page = await signedIn('retail-platform', '#/upload');
    await page.getByLabel('Fund', { exact: true }).selectOption('pacific');
    await page.getByLabel('The CSV file').setInputFiles({ name: 'platform.csv', mimeType: 'text/csv', buffer: Buffer.from(csv('-250.00')) });
    await page.getByTestId('preview').waitFor();
    await expect(page.getByTestId('refused').textContent()).resolves.toBe('1');
    await expect(page.getByTestId('accepted').textContent()).resolves.toBe('2');
    await expect(page.locator('[data-testid=rows] tr[data-row="3"]').textContent()).resolves.toContain('INVALID_AMOUNT');
    await expect(page.getByRole('button', { name: /Submit the/ }).count()).resolves.toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'upload');
    // Nothing written by the preview, and a submission of the same rows over the API is refused whole.
    expect(await commitments()).toBe(before);
    const refused = await as('retail-platform').POST('/funds/{fundId}/commitment-batches', {
      params: { path: { fundId: 'pacific' } },
      body: {
        rows: [
          { lpId: 'retail-us-700001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', effectiveDate: pacific.latestDate },
          { lpId: 'retail-us-700003', kind: 'retail', country: 'US', amount: '-250.00', currency: 'USD', effectiveDate: pacific.latestDate },
        ],
      },
    });
    expect([refused.response.status, refused.error?.code]).toEqual([422, 'BATCH_REFUSED']);
    expect(refused.error?.errors?.map((e) => e.field)).toEqual(['rows[1]']);
    expect(await commitments()).toBe(before);

    // The file corrected: all three rows pass, and are written together.
    await page.getByLabel('The CSV file').setInputFiles({ name: 'platform.csv', mimeType: 'text/csv', buffer: Buffer.from(csv('250.00')) });
    await page.getByTestId('accepted').filter({ hasText: '3' }).waitFor();
    await page.getByRole('button', { name: 'Submit the 3 commitments as one scenario' }).click();
    await page.getByTestId('written').waitFor();
    expect(await commitments()).toBe(before + 3);
    noErrors(page);
    await page.close();
  }, 120_000);

  it('every page of the demo: its figures, axe-clean, no script error and no 5xx, downloads included', async () => {
    const fund = await fundOf('usjp');
    const page = await signedIn('auditor', '#/governments');
    await page.getByTestId('waterfall').waitFor();
    await page.getByTestId('chart-revenue').waitFor();
    const waterfall = (await as('auditor').GET('/funds/{fundId}/waterfall', { params: { path: { fundId: 'usjp' }, query: { asOf: openingQuarterEnd(fund) } } }))
      .data!;
    await expect(page.getByTestId('accrued-carry').textContent()).resolves.toBe(money(waterfall.netAssets.managersAccruedCarry));
    const revenue = (
      await as('auditor').GET('/funds/{fundId}/managers/{manager}/revenue', {
        params: { path: { fundId: 'usjp', manager: 'jp-mof' }, query: { to: openingQuarterEnd(fund) } },
      })
    ).data!;
    if (revenue.transfer) await expect(page.getByTestId('net-transfer-jp-mof').textContent()).resolves.toBe(money(revenue.transfer.total.usd.net));
    const [revenueCsv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: "Download jp-mof's revenue (CSV)" }).click()]);
    expect(readFileSync((await revenueCsv.path())!, 'utf8').split('\n')[0]).toContain('fund_id,manager,quarter');
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => scrollTo(0, 0));
    await shot(page, 'governments');

    await page.goto(`${api.url}/#/future`);
    await page.getByLabel('Monte Carlo paths').fill('200');
    await page.getByRole('button', { name: 'Run' }).click();
    await page.getByTestId('future').waitFor({ timeout: 60_000 });
    expect(await drawn(page, 'chart-future-net-assets')).toBeGreaterThan(1000);
    const future = jsonOf(
      (
        await as('auditor').POST('/funds/{fundId}/simulations/fund', {
          params: { path: { fundId: 'usjp' } },
          body: { from: fund.latestDate, scenario: 'base', paths: 200, seed: 42 },
        })
      ).data,
    );
    await expect(page.getByTestId('future-irr-p50').textContent()).resolves.toBe(percent((future.fund.netOfCarry ?? future.fund.withLeverageCost).irr.p50));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'future');

    await page.goto(`${api.url}/#/approvals`);
    await page.getByTestId('awaiting-others').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    noErrors(page);
    await page.close();

    // An LP's notices and ledger: the API's figures, a notice shown and downloaded as PDF, the ledger as CSV.
    const lp = await signedIn('retail-jp-000001', '#/ledger');
    await lp.getByTestId('ledger').waitFor();
    const ledger = (
      await as('retail-jp-000001').GET('/funds/{fundId}/lps/{lpId}/transactions', {
        params: { path: { fundId: 'usjp', lpId: 'retail-jp-000001' }, query: { asOf: fund.latestDate } },
      })
    ).data!;
    await expect(lp.getByTestId('ledger').locator('tbody tr').count()).resolves.toBe(ledger.transactions.length);
    await expect(lp.getByTestId('ledger-nav').textContent()).resolves.toBe(money(ledger.closing.nav));
    await lp.getByRole('button', { name: 'Show Capital call 1', exact: true }).click();
    await lp.getByTestId('notice').waitFor();
    const [pdf] = await Promise.all([lp.waitForEvent('download'), lp.getByRole('button', { name: 'PDF of Capital call 1', exact: true }).click()]);
    expect(
      readFileSync((await pdf.path())!)
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
    const [csv] = await Promise.all([lp.waitForEvent('download'), lp.getByRole('button', { name: 'Download the ledger (CSV)' }).click()]);
    expect(readFileSync((await csv.path())!, 'utf8').split('\n')).toHaveLength(ledger.transactions.length + 2);
    expect(await seriousViolations(lp)).toEqual([]);
    await shot(lp, 'ledger');
    // The LP's navigation: only its own pages.
    await expect(lp.getByRole('navigation', { name: 'Pages' }).textContent()).resolves.toBe('Simulate a commitmentMy accountNotices and ledger');
    noErrors(lp);
    await lp.close();
  }, 240_000);
});

/// <reference lib="dom" />
/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by playwright-core (which
 * downloads no browser of its own), against the built API on localhost with the demo fund loaded.
 * Each page is checked against the API's own figures, with an automated accessibility check
 * (axe-core: no serious or critical violation); a screenshot of each is saved in
 * artifacts/screenshots (and, with UPDATE_SCREENSHOTS=1, in docs/screenshots for docs/dashboard.md).
 */
import { apiClient, type ApiClient } from '@fundsim/api-client';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startApi, type RunningApi } from '../../api/src/testing/server';
import { money, percent } from '../src/format';

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
  it('Fund: the balance sheet on the slider date, its charts over the fund life, each figure the API says', async () => {
    const page = await signedIn('auditor', '#/fund');
    const sheet = (await as('auditor').GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'usjp' }, query: { asOf: '2030-12-31' } } })).data!;
    await expect(page.getByTestId('net-assets').textContent()).resolves.toBe(money(sheet.netAssets));
    await expect(page.getByTestId('debt').textContent()).resolves.toBe(money(sheet.liabilities.debt));
    await page.getByTestId('chart-over-time').waitFor();
    for (const chart of ['chart-sectors', 'chart-projects', 'chart-over-time', 'chart-leverage'])
      expect([chart, (await drawn(page, chart)) > 1000]).toEqual([chart, true]);
    await expect(page.getByTestId('timeline').textContent()).resolves.toContain('Close 1');
    // The slider, by keyboard: one quarter on.
    await page.getByLabel(/Balance sheet as of/).focus();
    await page.keyboard.press('ArrowRight');
    await page.getByLabel('Balance sheet as of 2031-03-31').waitFor();
    const next = (await as('auditor').GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'usjp' }, query: { asOf: '2031-03-31' } } })).data!;
    await page
      .getByTestId('net-assets')
      .filter({ hasText: money(next.netAssets) })
      .waitFor();
    // Five quarters on at once: only the last date's answer shows, whatever order the answers come in.
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    const last = (await as('auditor').GET('/funds/{fundId}/balance-sheet', { params: { path: { fundId: 'usjp' }, query: { asOf: '2032-06-30' } } })).data!;
    await page.locator('[data-testid=figures][data-as-of="2032-06-30"][aria-busy=false]').waitFor();
    await expect(page.getByTestId('net-assets').textContent()).resolves.toBe(money(last.netAssets));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'fund');
    noErrors(page);
    await page.close();
  }, 120_000);

  it('Simulate: a commitment gives the API figures, and a bad amount shows its reason next to the field', async () => {
    const page = await signedIn('retail-us-000001', '#/simulate');
    await page.getByLabel('Amount (USD)').fill('10000.00');
    await page.getByLabel('Monte Carlo paths').fill('500');
    await page.getByRole('button', { name: 'Simulate' }).click();
    await page.getByTestId('simulation').waitFor();
    const simulation = jsonOf(
      (
        await as('retail-us-000001').POST('/funds/{fundId}/simulations/lp-commitment', {
          params: { path: { fundId: 'usjp' } },
          body: { amount: '10000.00', currency: 'USD', date: '2027-06-30', scenario: 'base', paths: 500 },
        })
      ).data,
    );
    await expect(page.getByTestId('ownership').textContent()).resolves.toBe(percent(simulation.admission.ownership));
    await expect(page.getByTestId('irr-p50').textContent()).resolves.toBe(percent((simulation.results.USD.netOfCarry ?? simulation.results.USD.gross).irr.p50));
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
          body: { amount: '1500000', currency: 'JPY', date: '2027-06-30', scenario: 'base', paths: 500 },
        })
      ).data,
    );
    await expect(page.getByTestId('irr-p50').textContent()).resolves.toBe(percent((yen.results.JPY!.netOfCarry ?? yen.results.JPY!.gross).irr.p50));
    await page.close();
  }, 120_000);

  it('My account: an LP sees its own statement, downloads it, and cannot open another LP account', async () => {
    const page = await signedIn('retail-us-000001', '#/account');
    await page.getByTestId('statement').waitFor();
    const account = (
      await as('retail-us-000001').GET('/funds/{fundId}/lps/{lpId}', {
        params: { path: { fundId: 'usjp', lpId: 'retail-us-000001' }, query: { from: '2027-01-01', asOf: '2027-12-31' } },
      })
    ).data!;
    await expect(page.getByTestId('lp-ownership').textContent()).resolves.toBe(percent(account.ownership));
    await expect(page.getByTestId('ending-nav').textContent()).resolves.toBe(money(account.rollForward.endingNav));
    expect(await seriousViolations(page)).toEqual([]);
    await shot(page, 'account');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the statement (CSV)' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('fund_id,lp_id,from_date,as_of,line,currency,amount');
    expect(csv).toContain(`usjp,retail-us-000001,2027-01-01,2027-12-31,ending_nav,USD,${account.rollForward.endingNav}`);

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
    for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.textContent === 'Audit')); i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Audit of the allocation log' }).waitFor();
    await page.close();
  }, 120_000);
});

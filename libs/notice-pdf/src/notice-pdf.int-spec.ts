import { FundQueryService, ScenarioService } from '@fundsim/application';
import { CALLS_FUND, DISTRIBUTION_FUND } from '@fundsim/application/testing/notices-fixtures';
import { SqliteEventStore } from '@fundsim/event-store';
import type { Notice } from '@fundsim/projections';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { noticeLayout } from './notice-rows';
import { noticePdf } from './notice-pdf';

/**
 * A notice's PDF read back as text by Debian's pdftotext (poppler-utils, installed by .ci/run):
 * every figure of the JSON notice is on the line of its label, as printed.
 */
const dir = mkdtempSync(join(tmpdir(), 'fundsim-notice-pdf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(notice: Notice): Promise<string[]> {
  const file = join(dir, `${notice.notice}-${notice.lpId}.pdf`);
  writeFileSync(file, await noticePdf(notice));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).split('\n');
}

/** The figures on the PDF line that starts with `label`, commas removed. */
function figuresOn(lines: string[], label: string): string[] {
  const line = lines.find((l) => l.trim().startsWith(label.trim()) && /\d/.test(l.slice(l.indexOf(label.trim()) + label.trim().length)));
  if (!line) throw new Error(`No line for ${label} in:\n${lines.join('\n')}`);
  return line
    .slice(line.indexOf(label.trim()) + label.trim().length)
    .trim()
    .split(/\s+/)
    .map((f) => f.replace(/,/g, ''));
}

const plain = (s: string) => s.replace(/,/g, '');

describe('a notice as a PDF, read back with pdftotext', () => {
  let queries: FundQueryService;
  const stores: SqliteEventStore[] = [];
  beforeAll(async () => {
    const calls = new SqliteEventStore(join(dir, 'calls.db'));
    const wf = new SqliteEventStore(join(dir, 'wf.db'));
    stores.push(calls, wf);
    await new ScenarioService(calls).apply(JSON.stringify(CALLS_FUND));
    await new ScenarioService(wf).apply(JSON.stringify(DISTRIBUTION_FUND));
    queries = new FundQueryService(calls);
    distributions = new FundQueryService(wf);
  });
  let distributions: FundQueryService;
  afterAll(async () => {
    for (const s of stores) await s.close();
  });

  it("prints a yen LP's call notice with every figure in USD and yen, as the JSON says", async () => {
    const notice = await queries.callNotice('nt', 1, 'lp-j');
    const lines = await readBack(notice);
    const text = lines.join('\n');
    expect(text).toContain('Capital call notice no. 1');
    expect(text).toContain('Due date: 2026-07-31');
    expect(text).toContain('USD/JPY 150.00');
    // Hand-worked in notices.int-spec: 105.00 = 94.50 + 7.87 + 2.63; ¥15,750 = 14,175 + 1,180 + 395.
    expect(figuresOn(lines, 'Amount due')).toEqual(['105.00', '15750']);
    expect(figuresOn(lines, 'for Investments')).toEqual(['94.50', '14175']);
    expect(figuresOn(lines, 'for Management fees')).toEqual(['7.87', '1180']);
    expect(figuresOn(lines, 'for Fund expenses')).toEqual(['2.63', '395']);
    // Every row of the layout, against the JSON notice it was made from.
    for (const row of noticeLayout(notice).rows) expect(figuresOn(lines, row.label)).toEqual([plain(row.usd), plain(row.jpy!)]);
    expect(figuresOn(lines, 'Unfunded commitment after')).toEqual([notice.unfundedAfter, notice.yen!.unfundedAfter]);
    expect(figuresOn(lines, 'Cumulative contributions')).toEqual([notice.cumulativeContributions, notice.yen!.cumulativeContributions]);
  });

  it('prints a distribution notice by tier with the carry withheld', async () => {
    const notice = await distributions.distributionNotice('wf', 2, 'lp-a');
    const lines = await readBack(notice);
    expect(figuresOn(lines, 'Distribution to you')).toEqual(['420.00']);
    expect(figuresOn(lines, 'Return of capital')).toEqual(['300.00']);
    expect(figuresOn(lines, 'Preferred return')).toEqual(['72.00']);
    expect(figuresOn(lines, 'Gain')).toEqual(['48.00']);
    expect(figuresOn(lines, 'Carried interest withheld')).toEqual(['30.00']);
    expect(figuresOn(lines, 'Cumulative distributions')).toEqual([notice.cumulativeDistributions]);
    expect(lines.join('\n')).toContain('Payment date: 2028-01-15');
  });
});

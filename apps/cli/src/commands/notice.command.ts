import { noticeLayout, noticePdf } from '@fundsim/notice-pdf';
import type { Notice } from '@fundsim/projections';
import { writeFileSync } from 'node:fs';
import { fundOf, parseNonNegativeInt, table, UsageError, WIDTH, wrap, type Command } from '../command';

/** The notice as the PDF lays it out, in text. */
function renderNotice(notice: Notice): string[] {
  const layout = noticeLayout(notice);
  return [
    layout.title,
    ...layout.heading,
    '',
    ...table(
      layout.columns.map((c, i) => (i === 0 ? 'FIGURE' : c)),
      layout.rows.map((r) => [r.label, r.usd, ...(r.jpy !== undefined ? [r.jpy] : [])]),
    ),
    ...(layout.footnotes.length ? ['', ...layout.footnotes.flatMap((f) => wrap(f, WIDTH))] : []),
  ];
}

export const noticeCommand: Command = {
  name: 'notice',
  summary: "An LP's capital call or distribution notice (ILPA's template), as text, JSON or a PDF; or every LP's as JSON lines",
  usage: 'fundsim notice --fund F (--call N | --distribution N) [--lp L] [--known-at T] [--json | --pdf FILE]',
  exclusive: [
    ['call', 'distribution'],
    ['json', 'pdf'],
  ],
  options: {
    fund: { type: 'string', value: 'ID', description: "the fund (the store's one fund when left out)" },
    call: { type: 'string', value: 'N', description: 'the capital call, by number' },
    distribution: { type: 'string', value: 'N', description: 'the distribution, by number' },
    lp: { type: 'string', value: 'ID', description: "the LP; without it, every LP's notice, one JSON object a line" },
    'known-at': { type: 'string', value: 'T', description: 'as the books stood at this time (date or ISO timestamp): before later corrections' },
    json: { type: 'boolean', description: 'print the notice as JSON' },
    pdf: { type: 'string', value: 'FILE', description: 'write the notice as a one-page PDF to FILE' },
  },
  async run(values, _positionals, ctx) {
    const { queries, out } = ctx;
    const call = parseNonNegativeInt(values.call, 'call', 1);
    const distribution = parseNonNegativeInt(values.distribution, 'distribution', 1);
    if (call === undefined && distribution === undefined) throw new UsageError('Name a notice: --call N or --distribution N');
    const knownAt = typeof values['known-at'] === 'string' ? values['known-at'] : undefined;
    const fund = await fundOf(values, ctx);
    if (typeof values.lp !== 'string') {
      if (values.pdf !== undefined) throw new UsageError("--pdf writes one LP's notice: name it with --lp");
      const notices =
        call !== undefined ? await queries.callNotices(fund, call, { knownAt }) : await queries.distributionNotices(fund, distribution!, { knownAt });
      for (const n of notices) out(JSON.stringify(n));
      return 0;
    }
    const notice: Notice =
      call !== undefined
        ? await queries.callNotice(fund, call, values.lp, { knownAt })
        : await queries.distributionNotice(fund, distribution!, values.lp, { knownAt });
    if (typeof values.pdf === 'string') {
      writeFileSync(values.pdf, await noticePdf(notice));
      out(
        `Wrote ${values.pdf}: ${noticeLayout(notice).title}, ${notice.lpId}, ${notice.currency === 'JPY' ? `${notice.amount} USD / ${notice.yen?.amount ?? 'n/a'} JPY` : `${notice.amount} USD`}`,
      );
    } else if (values.json) out(JSON.stringify(notice, null, 2));
    else renderNotice(notice).forEach(out);
    return 0;
  },
};

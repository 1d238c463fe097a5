import type { CallNotice, DistributionNotice, Notice } from '@fundsim/projections';

/**
 * A notice as a person reads it: a title, a few lines of who and when, and rows of figures (a
 * label, the USD figure, and for a yen LP the yen figure). The PDF and the CLI print these same
 * rows, so the two cannot say different things.
 */
export interface NoticeLayout {
  title: string;
  heading: string[];
  columns: string[];
  rows: { label: string; usd: string; jpy?: string; strong?: boolean }[];
  footnotes: string[];
}

/** Thousands separated, as on a printed notice: 1234567.89 -> 1,234,567.89. */
export const grouped = (s: string): string => s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** A fraction as an exact percentage: "0.105" -> "10.5%". */
export function asPercent(fraction: string): string {
  const [whole, decimals = ''] = fraction.split('.');
  const digits = `${whole}${decimals.padEnd(2, '0')}`;
  const integer = digits.slice(0, whole.length + 2).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(whole.length + 2);
  return `${integer}${rest ? `.${rest}` : ''}%`;
}

const PURPOSE_LABELS = {
  investments: 'Investments',
  managementFees: 'Management fees',
  expenses: 'Fund expenses',
  facilityRepayment: 'Repayment of the credit facility',
} as const;

export function noticeLayout(notice: Notice): NoticeLayout {
  return notice.notice === 'capital-call' ? callLayout(notice) : distributionLayout(notice);
}

function who(n: Notice): string[] {
  return [`Fund: ${n.fundName} (${n.fundId})`, `Limited partner: ${n.lpId} (${n.lpKind}, ${n.country}, commitment in ${n.currency})`];
}

function yenNote(rate: { rate: string; recordedFor: string } | undefined, noticeDate: string): string[] {
  if (!rate) return [];
  return [
    `Yen figures at USD/JPY ${rate.rate}, the rate in force on ${noticeDate} (recorded for ${rate.recordedFor}); each yen line of a split is the yen amount shared by largest remainder.`,
  ];
}

function callLayout(n: CallNotice): NoticeLayout {
  const y = n.yen;
  const row = (label: string, usd: string, jpy: string | undefined, strong = false) => ({
    label,
    usd: grouped(usd),
    ...(y ? { jpy: grouped(jpy ?? '') } : {}),
    strong,
  });
  return {
    title: `Capital call notice no. ${n.callNumber}`,
    heading: [
      ...who(n),
      `Notice date: ${n.noticeDate}    Due date: ${n.dueDate}`,
      `Called: ${asPercent(n.percentage)} of the commitment admitted before the call`,
    ],
    columns: y ? ['', 'USD', 'JPY'] : ['', 'USD'],
    rows: [
      row('Amount due', n.amount, y?.amount, true),
      ...(['investments', 'managementFees', 'expenses', 'facilityRepayment'] as const).map((k) =>
        row(`  for ${PURPOSE_LABELS[k]}`, n.purposes[k], y?.purposes[k]),
      ),
      row('Commitment', n.commitment, y?.commitment),
      row('Contributions before this call', n.contributionsBefore, y?.contributionsBefore),
      row('Cumulative contributions', n.cumulativeContributions, y?.cumulativeContributions),
      row('Unfunded commitment before', n.unfundedBefore, y?.unfundedBefore),
      row('Unfunded commitment after', n.unfundedAfter, y?.unfundedAfter),
      row('Total of this call, all LPs', n.callTotal, y?.callTotal),
    ],
    footnotes: [
      ...(n.purposesRecorded ? [] : ['The call recorded no breakdown of its purposes: the whole amount is for investments.']),
      ...yenNote(y?.rate, n.noticeDate),
      ...(n.knownAt ? [`As the books stood at ${n.knownAt}.`] : []),
    ],
  };
}

function distributionLayout(n: DistributionNotice): NoticeLayout {
  const y = n.yen;
  const row = (label: string, usd: string, jpy: string | undefined, strong = false) => ({
    label,
    usd: grouped(usd),
    ...(y ? { jpy: grouped(jpy ?? '') } : {}),
    strong,
  });
  const tiers = n.tiers;
  return {
    title: `Distribution notice no. ${n.distributionNumber}`,
    heading: [...who(n), `Notice date: ${n.noticeDate}    Payment date: ${n.paymentDate}`],
    columns: y ? ['', 'USD', 'JPY'] : ['', 'USD'],
    rows: [
      row('Distribution to you', n.amount, y?.amount, true),
      ...(tiers
        ? [
            row('  Return of capital', tiers.returnOfCapital, y?.tiers?.returnOfCapital),
            row('  Preferred return', tiers.preferredReturn, y?.tiers?.preferredReturn),
            row('  Catch-up', tiers.catchUp, y?.tiers?.catchUp),
            row('  Gain', tiers.gain, y?.tiers?.gain),
          ]
        : []),
      row('Carried interest withheld', n.carryWithheld, y?.carryWithheld),
      row('Gross of carried interest', n.grossAmount, y?.grossAmount),
      row('Cumulative distributions', n.cumulativeDistributions, y?.cumulativeDistributions),
      row('Cumulative contributions', n.cumulativeContributions, y?.cumulativeContributions),
      row('Unfunded commitment', n.unfunded, y?.unfunded),
      row('Distribution to all LPs', n.distributionToLps, undefined),
      row('Distribution to the managers', n.distributionToManagers, undefined),
    ],
    footnotes: [
      ...(tiers ? [] : ['The fund has no waterfall terms: its distributions are not split by tier and no carried interest is withheld.']),
      ...yenNote(y?.rate, n.noticeDate),
      ...(n.knownAt ? [`As the books stood at ${n.knownAt}.`] : []),
    ],
  };
}

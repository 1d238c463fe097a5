import { handWorkedFund, m, commit } from '../testing/hand-worked-fund';

describe('LP capital accounts, worked by hand', () => {
  it('shares each period P&L among the LPs admitted in it, by commitment; the register sums to net assets', async () => {
    const { queries } = await handWorkedFund();
    const early = await queries.register('usjp', { asOf: '2026-03-31' });
    expect(early.rows.map((r) => [r.lpId, r.netAssets])).toEqual([
      ['lp-a', '600.00'],
      ['lp-b', '1800.00'],
    ]);
    const late = await queries.register('usjp', { asOf: '2026-12-31' });
    expect(late.netAssets).toBe('3355.00');
    expect(late.rows.map((r) => [r.lpId, r.contributions, r.netAssets, r.ownership])).toEqual([
      ['lp-a', '500.00', '691.25', '0.2000000000'],
      ['lp-b', '1500.00', '2073.75', '0.6000000000'],
      ['lp-c', '500.00', '590.00', '0.2000000000'],
    ]);
    expect((await queries.balanceSheet('usjp', { asOf: '2026-12-31' })).netAssets).toBe(late.netAssets);
  });

  it('rolls an LP forward over a period as the ILPA template does', async () => {
    const { queries } = await handWorkedFund();
    const a = await queries.capitalAccount('usjp', 'lp-a', { asOf: '2026-12-31', from: '2026-07-01' });
    expect(a.rollForward).toEqual({
      beginningNav: '601.25',
      contributions: '0.00',
      distributions: '0.00',
      transfersIn: '0.00',
      transfersOut: '0.00',
      carriedInterest: '0.00',
      carriedInterestPaid: '0.00',
      changeInAccruedCarry: '0.00',
      managementFees: '10.00',
      expenses: '0.00',
      interest: '0.00',
      income: '0.00',
      realizedGain: '0.00',
      changeInUnrealizedGain: '100.00',
      endingNav: '691.25',
    });
    const c = await queries.capitalAccount('usjp', 'lp-c', { asOf: '2026-12-31' });
    expect(c.rollForward).toMatchObject({
      beginningNav: '0.00',
      contributions: '500.00',
      managementFees: '10.00',
      changeInUnrealizedGain: '100.00',
      income: '0.00',
      endingNav: '590.00',
    });
    expect(c.equalizationInterestPaid).toBe('5.00');
    expect(c.unfunded).toBe('500.00');
    expect(c.lookThrough.projects).toEqual([{ projectId: 'grid', name: 'Grid', sector: 'energy', exposure: '580.00' }]);
    // Paid 505.00 on 2026-06-09, worth 590.00 on 2026-12-31.
    expect(c.performance[0]).toMatchObject({
      currency: 'USD',
      paidIn: '505.00',
      distributed: '0.00',
      nav: '590.00',
      tvpi: '1.1683',
      dpi: '0.0000',
      rvpi: '1.1683',
    });
    const rate = Number(c.performance[0].xirr);
    expect(505 * Math.pow(1 + rate, 205 / 365)).toBeCloseTo(590, 2);
  });

  it('answers as of a date as known at an earlier time, before a correction', async () => {
    const { queries, store, run } = await handWorkedFund();
    const valuation = (await collect(store.readStream('fund-usjp'))).find((e) => e.type === 'ProjectValued' && e.data.fairValue === '2900.00')!;
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    await run({
      type: 'ReverseEvent',
      data: { eventId: valuation.id, reason: 'typo', replacement: { type: 'ProjectValued', data: { projectId: 'grid', fairValue: '2650.00' } } },
      metadata: m('us-treasury', '2026-12-01'),
    });
    const now = await queries.capitalAccount('usjp', 'lp-c', { asOf: '2026-12-31' });
    const then = await queries.capitalAccount('usjp', 'lp-c', { asOf: '2026-12-31', knownAt: before });
    expect(then.rollForward.endingNav).toBe('590.00');
    expect(now.rollForward.endingNav).toBe('540.00');
    expect((await queries.register('usjp', { asOf: '2026-12-31' })).netAssets).toBe('3105.00');
  });

  it('reports a JPY LP in yen too, each flow at the rate of its date', async () => {
    const { run, queries } = await handWorkedFund();
    await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150' }, metadata: m('us-treasury', '2026-10-01') });
    await run(commit('lp-j', '150000', '2026-10-01', 'JPY'));
    await run({ type: 'HoldClose', data: {}, metadata: m('us-treasury', '2026-10-02') });
    await run({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '160' }, metadata: m('us-treasury', '2026-12-01') });
    const j = await queries.capitalAccount('usjp', 'lp-j', { asOf: '2026-12-31' });
    expect(j.commitment).toEqual({ usd: '1000.00', local: '150000', currency: 'JPY', scaledBack: false, subscribedUsd: '1000.00', subscribedLocal: '150000' });
    const [usd, jpy] = j.performance;
    expect(jpy.currency).toBe('JPY');
    // Catch-up 500.00 + equalization 500 x 3.65% x 215/365 = 10.75, paid at 150: 76,612.5 yen, half to even.
    expect(usd.paidIn).toBe('510.75');
    expect(jpy.paidIn).toBe('76612');
    expect(jpy.nav).toBe(String(Math.round(Number(usd.nav) * 160)));
  });

  it('says which LP and why when the account does not exist', async () => {
    const { queries } = await handWorkedFund();
    await expect(queries.capitalAccount('usjp', 'nobody', { asOf: '2026-12-31' })).rejects.toMatchObject({ code: 'UNKNOWN_LP' });
    await expect(queries.capitalAccount('usjp', 'lp-a', { asOf: '2026-12-31', from: '2027-01-01' })).rejects.toMatchObject({ code: 'INVALID_DATE' });
  });
});

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

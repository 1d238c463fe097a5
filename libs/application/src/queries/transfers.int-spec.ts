import { applyTo, eventCount, scenarioFund } from '../testing/scenario-fund';
import { at, establishExample, gridFunded } from '../testing/waterfall-example';

/**
 * A transfer of an LP interest, worked by hand (docs/accounting.md, "Transfers of LP interests";
 * issue 30). A (USD) holds 600.00 and B (USD) 400.00; half of each is called (500.00) and 400.00
 * invested; the project is valued 600.00 on 30 June: A's capital account is 300.00 + 60% of
 * 200.00 = 420.00. On 1 July A transfers half its interest (300.00 of commitment) to C, a new yen
 * LP, for a price of 200.00 agreed between them. With it go half of A's capital account (210.00)
 * and of its contributed capital (150.00): C's unfunded commitment is 150.00, as A's is. The second
 * half is then called (A 150.00, B 200.00, C 150.00) and the project gains 100.00, shared 30/40/30.
 */
const commit = (lpId: string, amount: string) => ({
  type: 'CommitCapital',
  ...at('retail-platform', '2025-12-10'),
  lpId,
  kind: 'retail',
  country: 'US',
  amount,
  currency: 'USD',
});
const transfer = (extra: object = {}) => ({
  type: 'TransferInterest',
  ...at('us-treasury', '2026-07-01'),
  fromLpId: 'lp-a',
  toLpId: 'lp-c',
  commitmentUsd: '300.00',
  priceUsd: '200.00',
  kind: 'retail',
  country: 'JP',
  currency: 'JPY',
  ...extra,
});
const history = (...moves: object[]) => [
  establishExample('Transfer example', '1000.00'),
  commit('lp-a', '600.00'),
  commit('lp-b', '400.00'),
  { type: 'HoldClose', ...at('us-treasury', '2025-12-31') },
  { type: 'CallCapital', ...at('us-treasury', '2026-01-01'), percentage: '0.5', dueDate: '2026-01-01' },
  ...gridFunded('al', '400.00', '5000.00'),
  { type: 'ValueProject', ...at('us-treasury', '2026-06-30'), projectId: 'grid', fairValue: '600.00' },
  { type: 'RecordFxRate', ...at('us-treasury', '2026-06-30'), pair: 'USD/JPY', rate: '150' },
  ...moves,
];
const after = [
  { type: 'CallCapital', ...at('us-treasury', '2026-09-30'), percentage: '0.5', dueDate: '2026-09-30' },
  { type: 'ValueProject', ...at('us-treasury', '2026-12-31'), projectId: 'grid', fairValue: '700.00' },
];

describe('a transfer of an LP interest (hand-worked)', () => {
  it('moves the commitment, its capital account and its contributed capital; later calls and P&L follow the new weights', async () => {
    const { queries } = await scenarioFund(history(transfer(), ...after));
    const sheet = await queries.balanceSheet('f', { asOf: '2026-12-31' });
    expect([sheet.assets.cash, sheet.netAssets]).toEqual(['600.00', '1300.00']);
    const register = await queries.register('f', { asOf: '2026-12-31' }, 0, 10);
    expect(register.rows.map((r) => [r.lpId, r.commitmentUsd, r.contributions, r.netAssets])).toEqual([
      ['lp-a', '300.00', '450.00', '390.00'],
      ['lp-b', '400.00', '400.00', '520.00'],
      ['lp-c', '300.00', '150.00', '390.00'],
    ]);
    const account = async (lpId: string) => {
      const s = await queries.capitalAccount('f', lpId, { asOf: '2026-12-31' });
      const r = s.rollForward;
      return [lpId, s.commitment.usd, s.unfunded, r.contributions, r.transfersIn, r.transfersOut, r.changeInUnrealizedGain, r.endingNav];
    };
    expect([await account('lp-a'), await account('lp-b'), await account('lp-c')]).toEqual([
      ['lp-a', '300.00', '0.00', '450.00', '0.00', '210.00', '150.00', '390.00'],
      ['lp-b', '400.00', '0.00', '400.00', '0.00', '0.00', '120.00', '520.00'],
      ['lp-c', '300.00', '0.00', '150.00', '210.00', '0.00', '30.00', '390.00'],
    ]);
    // C's commitment in yen starts at the transfer, at the day's rate: 300.00 x 150.
    const c = await queries.capitalAccount('f', 'lp-c', { asOf: '2026-12-31' });
    expect([c.currency, c.commitment.local]).toEqual(['JPY', '45000']);
    // C's performance starts with the price it paid; A's counts the price it received.
    expect([c.performance[0].paidIn, c.performance[0].distributed, c.performance[0].nav]).toEqual(['350.00', '0.00', '390.00']);
    const a = await queries.capitalAccount('f', 'lp-a', { asOf: '2026-12-31' });
    expect([a.performance[0].paidIn, a.performance[0].distributed, a.performance[0].nav]).toEqual(['450.00', '200.00', '390.00']);
    // Each side's transaction ledger has the transfer as an entry of its own, and closes on its statement.
    for (const [lpId, kind, amount, cash] of [
      ['lp-a', 'transfer-out', '-210.00', '200.00'],
      ['lp-c', 'transfer-in', '210.00', '-200.00'],
    ]) {
      const ledger = await queries.transactions('f', lpId, { asOf: '2026-12-31' });
      const entry = ledger.transactions.find((t) => t.kind === kind);
      expect([entry?.date, entry?.amount, entry?.cash, entry?.balance.unfunded]).toEqual(['2026-07-01', amount, cash, '150.00']);
      const statement = await queries.capitalAccount('f', lpId, { asOf: '2026-12-31' });
      expect([ledger.closing.commitment, ledger.closing.contributions, ledger.closing.unfunded, ledger.closing.nav]).toEqual([
        statement.commitment.usd,
        statement.rollForward.contributions,
        statement.unfunded,
        statement.rollForward.endingNav,
      ]);
    }
  });

  it('shows the transfer on both sides of the commitment roll-forward of the ILPA statement', async () => {
    const { queries } = await scenarioFund(history(transfer(), ...after));
    const a = await queries.ilpaStatement('f', 'lp-a', { asOf: '2026-12-31', from: '2026-07-01' });
    const c = await queries.ilpaStatement('f', 'lp-c', { asOf: '2026-12-31', from: '2026-07-01' });
    const unfunded = (s: typeof a) => {
      const k = s.commitment;
      return [
        k.beginningUnfunded.period,
        k.commitmentAdmitted.period,
        k.unfundedTransferredIn.period,
        k.unfundedTransferredOut.period,
        k.contributionsCalled.period,
        k.endingUnfunded.period,
      ];
    };
    expect(unfunded(a)).toEqual(['300.00', '0.00', '0.00', '-150.00', '-150.00', '0.00']);
    expect(unfunded(c)).toEqual(['0.00', '0.00', '150.00', '0.00', '-150.00', '0.00']);
    expect([a.rollForward.beginningNav.period, a.rollForward.transfersOut.period, c.rollForward.transfersIn.period]).toEqual(['420.00', '-210.00', '210.00']);
  });

  it('refuses what a transfer may not do, with its code, and writes nothing', async () => {
    const { store } = await scenarioFund(history());
    const before = await eventCount(store);
    const refused = async (extra: object, code: string) => {
      await expect(applyTo(store, transfer(extra))).rejects.toMatchObject({ code });
      expect(await eventCount(store)).toBe(before);
    };
    await refused({ commitmentUsd: '600.01' }, 'TRANSFER_EXCEEDS_HOLDING');
    await refused({ fromLpId: 'lp-nobody' }, 'UNKNOWN_LP');
    await refused({ toLpId: 'lp-a' }, 'INVALID_LP');
    await refused({ kind: undefined }, 'INVALID_LP');
    await refused({ toLpId: 'lp-b', kind: 'institutional' }, 'LP_TERMS_FIXED');
    await refused({ priceUsd: '-1.00' }, 'INVALID_AMOUNT');
    await refused({ ...at('retail-platform', '2026-07-01') }, 'ACTOR_NOT_MANAGER');
    await refused({ ...at('us-treasury', '2025-12-30') }, 'EFFECTIVE_DATE_BEFORE_LATEST');
  });

  it('moves only capital paid: not while a call on the seller is not yet due, nor by or to an LP in default, and no default after it', async () => {
    // A call due on 30 September: until then A's share of it is not paid, and no transfer moves it.
    const due = { type: 'CallCapital', ...at('us-treasury', '2026-06-30'), percentage: '0.1', dueDate: '2026-09-30' };
    const { store } = await scenarioFund(history(due));
    const apply = (...commands: object[]) => applyTo(store, ...commands);
    await expect(apply(transfer())).rejects.toMatchObject({ code: 'CALL_OUTSTANDING' });
    // Once it is due and paid, the transfer goes through; a default on that call can no longer be recorded for A.
    await apply(transfer({ ...at('us-treasury', '2026-10-01') }));
    const callDefault = (lpId: string) => ({ type: 'RecordContributionDefault', ...at('us-treasury', '2026-10-02'), callNumber: 2, lpId });
    await expect(apply(callDefault('lp-a'))).rejects.toMatchObject({ code: 'DEFAULT_AFTER_TRANSFER' });
    // B defaults: it may neither sell nor buy an interest.
    await apply(callDefault('lp-b'));
    const more = { fromLpId: 'lp-a', commitmentUsd: '10.00', ...at('us-treasury', '2026-10-03') };
    await expect(apply(transfer({ ...more, toLpId: 'lp-b', kind: undefined, country: undefined, currency: undefined }))).rejects.toMatchObject({
      code: 'LP_IN_DEFAULT',
    });
    await expect(
      apply(transfer({ ...more, fromLpId: 'lp-b', toLpId: 'lp-c', kind: undefined, country: undefined, currency: undefined })),
    ).rejects.toMatchObject({
      code: 'LP_IN_DEFAULT',
    });
  });

  it('leaves an LP that transferred all of its interest in the register at nil, with no notice of a later call', async () => {
    const { queries } = await scenarioFund(history(transfer({ commitmentUsd: '600.00' }), ...after));
    const register = await queries.register('f', { asOf: '2026-12-31' }, 0, 10);
    expect(register.rows.map((r) => [r.lpId, r.commitmentUsd, r.netAssets])).toEqual([
      ['lp-a', '0.00', '0.00'],
      ['lp-b', '400.00', '520.00'],
      ['lp-c', '600.00', '780.00'],
    ]);
    await expect(queries.callNotice('f', 2, 'lp-a')).rejects.toMatchObject({ code: 'UNKNOWN_LP' });
    const notice = await queries.callNotice('f', 2, 'lp-c');
    expect([notice.amount, notice.unfundedBefore, notice.unfundedAfter]).toEqual(['300.00', '300.00', '0.00']);
  });

  it('keeps the terms of an LP that came by a transfer: a later commitment of its own follows them, its currency and kind', async () => {
    const { store } = await scenarioFund(history(transfer()));
    const more = (actor: string, currency: string, amount: string) => ({
      type: 'CommitCapital',
      ...at(actor, '2026-07-02'),
      lpId: 'lp-c',
      kind: 'retail',
      country: 'JP',
      amount,
      currency,
    });
    const apply = (command: object) => applyTo(store, command);
    await expect(apply(more('us-treasury', 'USD', '100.00'))).rejects.toMatchObject({ code: 'UNSUPPORTED_CURRENCY' });
    // A transfer is not reversed (a transfer back undoes it), like a close.
    let transferId = '';
    for await (const e of store.readAll({ eventTypes: ['InterestTransferred'] })) transferId = e.id;
    await expect(apply({ type: 'ReverseEvent', ...at('us-treasury', '2026-07-02'), eventId: transferId, reason: 'undo' })).rejects.toMatchObject({
      code: 'EVENT_NOT_REVERSIBLE',
    });
    await expect(apply(more('us-treasury', 'JPY', '10000'))).resolves.toBeDefined();
  });
});

import { evolveFund, initialFundState } from '../fund/fund.state';
import { at, by, usJapanFundEstablished } from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import type { RecordedFundEvent } from '../fund/fund.state';
import type { CommitCapital } from './commitment.commands';
import { decideCommitment, lpStandingOf, MAX_PENDING_PER_LP, type LpStanding } from './commitment.decider';
import type { ActorRole } from '../command';

const fundWith = (...events: RecordedFundEvent[]) => events.reduce(evolveFund, initialFundState());
const yen = (): RecordedFundEvent[] => [
  usJapanFundEstablished(),
  at('2026-03-31', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data'),
];
const commit = (data: Partial<CommitCapital['data']>, date = '2026-04-01'): CommitCapital => ({
  type: 'CommitCapital',
  data: { lpId: 'retail-000001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', ...data },
  metadata: by('retail-platform', date),
});

describe('commitment decider', () => {
  it('records a USD commitment at its face value', () => {
    given(yen())
      .when(commit({}))
      .then([
        {
          type: 'CapitalCommitted',
          data: { fundId: 'usjp', lpId: 'retail-000001', kind: 'retail', country: 'US', amount: '10000.00', currency: 'USD', amountUsd: '10000.00' },
        },
      ]);
  });

  it('converts a JPY commitment at the USD/JPY rate in force on its date, and keeps the rate', () => {
    given(yen())
      .when(commit({ lpId: 'retail-jp-1', country: 'JP', amount: '1500000', currency: 'JPY' }))
      .then(([event]) => expect(event.data).toMatchObject({ amount: '1500000', currency: 'JPY', fxRate: '150.00', amountUsd: '10000.00' }));
  });

  it.each([
    ['a currency the fund does not take', commit({ currency: 'EUR' }), 'UNSUPPORTED_CURRENCY'],
    ['a zero amount', commit({ amount: '0.00' }), 'INVALID_AMOUNT'],
    ['sub-yen precision', commit({ currency: 'JPY', amount: '100.5' }), 'INVALID_AMOUNT'],
    ['an unknown LP kind', commit({ kind: 'hedge-fund' as never }), 'INVALID_LP'],
    ['a bad country', commit({ country: 'USA' }), 'INVALID_LP'],
    ['a bad LP id', commit({ lpId: 'has spaces' }), 'INVALID_LP'],
    ['a date before the fund existed', commit({}, '2025-12-31'), 'EFFECTIVE_DATE_BEFORE_INCEPTION'],
  ] as const)('rejects %s', (_name, command, code) => {
    given(yen()).when(command).thenRejects(code);
  });

  it('needs a USD/JPY rate recorded on or before the date of a JPY commitment', () => {
    given([usJapanFundEstablished()])
      .when(commit({ currency: 'JPY', amount: '1500000' }))
      .thenRejects('FX_RATE_MISSING');
  });

  it('needs the fund', () => {
    given([]).when(commit({})).thenRejects('FUND_NOT_ESTABLISHED');
  });

  describe('scope (issue 24: operators committed for other platforms and for sovereigns)', () => {
    const as = (command: CommitCapital, actor: string, role: ActorRole): CommitCapital => ({ ...command, metadata: { ...command.metadata, actor, role } });
    const onboarded: LpStanding = { kind: 'retail', country: 'US', currency: 'USD', onboardedBy: 'retail-platform', pending: 1 };
    const rows: [string, CommitCapital, LpStanding | undefined, string][] = [
      ["another platform's LP", as(commit({}), 'market-data', 'operator'), onboarded, 'LP_OF_ANOTHER_PLATFORM'],
      [
        'a sovereign LP, by an operator',
        as(commit({ lpId: 'jp-gov', kind: 'sovereign', country: 'JP' }), 'market-data', 'operator'),
        undefined,
        'SOVEREIGN_NEEDS_MANAGER',
      ],
      ["an LP's kind changed by a later commitment", as(commit({ kind: 'institutional' }), 'retail-platform', 'operator'), onboarded, 'LP_TERMS_FIXED'],
      ["an LP's country changed by a later commitment", as(commit({ country: 'JP' }), 'retail-platform', 'operator'), onboarded, 'LP_TERMS_FIXED'],
      [
        'one commitment too many pending',
        as(commit({}), 'retail-platform', 'operator'),
        { ...onboarded, pending: MAX_PENDING_PER_LP },
        'TOO_MANY_PENDING_COMMITMENTS',
      ],
      ['a manager of another fund', as(commit({ lpId: 'us-gov', kind: 'sovereign' }), 'uk-treasury', 'manager'), undefined, 'ACTOR_NOT_MANAGER'],
      ['a date after the open period', as(commit({}, '2026-07-01'), 'retail-platform', 'operator'), undefined, 'EFFECTIVE_DATE_AFTER_OPEN_PERIOD'],
    ];
    it.each(rows)('refuses %s', (_name, command, lp, code) => {
      given(yen(), { lp })
        .when(command)
        .thenRejects(code as never);
    });

    it("accepts the onboarding platform's next commitment, and a manager's for a sovereign", () => {
      given(yen(), { lp: onboarded })
        .when(as(commit({}), 'retail-platform', 'operator'))
        .then((events) => expect(events).toHaveLength(1));
      given(yen())
        .when(as(commit({ lpId: 'us-gov', kind: 'sovereign' }), 'us-treasury', 'manager'))
        .then((events) => expect(events).toHaveLength(1));
    });

    it("reads an LP's standing from its stream: onboarded by the first commitment's actor, pending after the last close, reversals left out", () => {
      const c = (position: number, actor: string, eventId: string) => ({
        data: { kind: 'retail', country: 'US', currency: 'USD' },
        metadata: { actor, position, eventId },
      });
      const fund = fundWith(
        usJapanFundEstablished(),
        at(
          '2026-06-30',
          {
            type: 'CloseHeld',
            data: {
              closeNumber: 1,
              throughPosition: 5,
              pendingCount: 1,
              pendingUsd: '1.00',
              admittedUsd: '1.00',
              scaledBack: false,
              catchUpFraction: '0',
              equalizationInterestFactor: '0',
              catchUpUsd: '0.00',
              equalizationInterestUsd: '0.00',
            },
          },
          'us-treasury',
        ),
      );
      expect(lpStandingOf([c(3, 'retail-platform', 'a'), c(7, 'retail-platform', 'b'), c(9, 'retail-platform', 'c')], fund, (id) => id === 'c')).toEqual({
        kind: 'retail',
        country: 'US',
        currency: 'USD',
        onboardedBy: 'retail-platform',
        pending: 1,
      });
      expect(lpStandingOf([], fund, () => false)).toBeUndefined();
    });

    it('of an LP that came by a transfer, before any commitment of its own: its terms, onboarded by the manager that recorded the transfer', () => {
      const fund = evolveFund(
        given([usJapanFundEstablished()]).state,
        at(
          '2026-03-01',
          {
            type: 'InterestTransferred',
            data: {
              transferNumber: 1,
              fromLpId: 'a',
              toLpId: 't',
              commitmentUsd: '1.00',
              fromAmount: '1.00',
              toAmount: '150',
              fxRate: '150',
              priceUsd: '1.00',
              newLp: { kind: 'retail', country: 'JP', currency: 'JPY' },
            },
          },
          'jp-mof',
        ),
      );
      expect(lpStandingOf([], fund, () => false, 't')).toEqual({ kind: 'retail', country: 'JP', currency: 'JPY', onboardedBy: 'jp-mof', pending: 0 });
      expect(lpStandingOf([], fund, () => false, 'u')).toBeUndefined();
      // Committing for it is then the managers' who recorded it (or an admin's), not a platform's.
      expect(() =>
        decideCommitment(
          {
            type: 'CommitCapital',
            data: { lpId: 't', kind: 'retail', country: 'JP', amount: '1000', currency: 'JPY' },
            metadata: by('retail-platform', '2026-03-02', { role: 'operator' }),
          },
          fund,
          lpStandingOf([], fund, () => false, 't'),
        ),
      ).toThrow(expect.objectContaining({ code: 'LP_OF_ANOTHER_PLATFORM' }));
    });
  });
});

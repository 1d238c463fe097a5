import { InvestorLedger, type InvestorLedgerEvent } from '../investors/investor-ledger';
import type { RejectionCode } from '../rejections';
import {
  at,
  by,
  closeEntry,
  closeHeld,
  commitmentEntry,
  establishUsJapanFund,
  fundEstablishedEvent,
  INCEPTION,
  investorLedger,
  usJapanFundEstablished,
} from '../testing/fund-fixtures';
import { given } from '../testing/given-when-then';
import type { FundCommand } from './fund.commands';
import type { FundEvent } from './fund.events';
import type { RecordedFundEvent } from './fund.state';

const noInvestors = new InvestorLedger();

/** LPs committed and admitted at the close given (1 by default), each close admitting all it saw. */
const admitted = (...lps: [string, string, number?][]): InvestorLedger => {
  const events: InvestorLedgerEvent[] = [];
  let position = 1;
  for (const closeNumber of [...new Set(lps.map(([, , c]) => c ?? 1))].sort()) {
    let total = 0n;
    for (const [lpId, usd] of lps.filter(([, , c]) => (c ?? 1) === closeNumber)) {
      events.push(commitmentEntry(lpId, usd, ++position));
      total += BigInt(usd.replace('.', ''));
    }
    events.push(closeEntry(closeNumber, `${total / 100n}.${String(total % 100n).padStart(2, '0')}`, position++));
  }
  return investorLedger(...events);
};

/** A fund with sovereign LPs admitted at a first close on 2026-06-30 for $200B. */
const givenFundAfterFirstClose = (hardCap?: string): RecordedFundEvent[] => [usJapanFundEstablished(hardCap), closeHeld(1, '2026-06-30', '200000000000.00', 3)];
const firstCloseLps = admitted(['us-gov', '110000000000.00'], ['jp-gov', '90000000000.00']);

describe('fund decider', () => {
  describe('EstablishFund', () => {
    it('establishes the fund with its terms, inception on the effective date', () => {
      given([]).when(establishUsJapanFund()).then([fundEstablishedEvent()]);
    });

    it('happens once', () => {
      given([usJapanFundEstablished()]).when(establishUsJapanFund()).thenRejects('FUND_ALREADY_ESTABLISHED');
    });

    it.each([
      [{ hardCap: '100.00', targetSize: '200.00' }, 'INVALID_FUND_TERMS'],
      [{ managers: [] }, 'INVALID_FUND_TERMS'],
      [{ approvalsRequired: ['us-treasury', 'someone-else'] }, 'INVALID_FUND_TERMS'],
      [{ concentrationLimit: '1.5' }, 'INVALID_FUND_TERMS'],
      [{ equalizationRate: '-0.05' }, 'INVALID_FUND_TERMS'],
      [{ targetSize: '0.00' }, 'INVALID_AMOUNT'],
      [{ hardCap: '1.001' }, 'INVALID_AMOUNT'],
      [{ hardCap: '6000000000000.00', targetSize: '300000000000.00' }, 'INVALID_FUND_TERMS'],
      [{ leveragePolicy: { maxRatio: '1000', basis: 'commitments' } }, 'INVALID_FUND_TERMS'],
      [{ equalizationRate: '10012.5' }, 'INVALID_FUND_TERMS'],
    ] as const)('refuses terms %j with %s', (overrides, code) => {
      given([])
        .when(establishUsJapanFund(overrides as never))
        .thenRejects(code);
    });

    it('is established by one of the managers it names', () => {
      given([])
        .when(establishUsJapanFund({}, by('someone', INCEPTION)))
        .thenRejects('ACTOR_NOT_MANAGER');
    });
  });

  describe('RecordMilestone and RecordFxRate', () => {
    it('records a milestone', () => {
      given([usJapanFundEstablished()])
        .when({
          type: 'RecordMilestone',
          data: { milestone: 'G7 summit', note: 'tariff talks delay the first close' },
          metadata: by('us-treasury', '2026-06-15'),
        })
        .then([{ type: 'MilestoneRecorded', data: { milestone: 'G7 summit', note: 'tariff talks delay the first close' } }]);
    });

    it('records a USD/JPY rate', () => {
      given([usJapanFundEstablished()])
        .when({ type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '149.37' }, metadata: by('market-data', '2026-03-31') })
        .then([{ type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '149.37' } }]);
    });
  });

  describe('HoldClose', () => {
    const hold: FundCommand = { type: 'HoldClose', data: {}, metadata: by('jp-mof', '2026-06-30') };

    it('admits every pending commitment when under the hard cap', () => {
      const investors = investorLedger(commitmentEntry('us-gov', '110000000000.00', 2), commitmentEntry('jp-gov', '90000000000.00', 3));
      given([usJapanFundEstablished()], investors)
        .when(hold)
        .then([
          {
            type: 'CloseHeld',
            data: {
              closeNumber: 1,
              throughPosition: 3,
              pendingCount: 2,
              pendingUsd: '200000000000.00',
              admittedUsd: '200000000000.00',
              scaledBack: false,
              catchUpFraction: '0',
              equalizationInterestFactor: '0',
              catchUpUsd: '0.00',
              equalizationInterestUsd: '0.00',
              admitsThroughDate: '2026-06-30',
            },
          },
        ]);
    });

    it('scales back to the room left under the hard cap', () => {
      const investors = investorLedger(commitmentEntry('a', '600.00', 2), commitmentEntry('b', '600.00', 3));
      given([usJapanFundEstablished('1000.00')], investors)
        .when(hold)
        .then(([event]) => expect(event.data).toMatchObject({ pendingUsd: '1200.00', admittedUsd: '1000.00', scaledBack: true }));
    });

    it('charges LPs joining after a call their catch-up and interest at the equalization rate', () => {
      const history = [
        ...givenFundAfterFirstClose(),
        at('2026-07-01', {
          type: 'CapitalCalled',
          data: { callNumber: 1, percentage: '0.10', dueDate: '2026-07-01', admittedUsd: '200000000000.00', totalUsd: '20000000000.00', lpCount: 2 },
        }),
      ];
      const investors = admitted(['us-gov', '110000000000.00'], ['jp-gov', '90000000000.00']);
      investors.addCommitment('retail-1-commitment', commitmentEntry('retail-1', '10000.00', 9).data as never, 9, '2027-06-01');
      // 10% of 10,000 = 1,000 catch-up; 5% a year on it for 365 days = 50.00.
      given(history, investors)
        .when({ type: 'HoldClose', data: {}, metadata: by('us-treasury', '2027-07-01') })
        .then(([event]) =>
          expect(event.data).toMatchObject({
            closeNumber: 2,
            admittedUsd: '10000.00',
            catchUpFraction: '0.1',
            catchUpUsd: '1000.00',
            equalizationInterestUsd: '50.00',
          }),
        );
    });
  });

  describe('CallCapital', () => {
    it('calls a percentage of the admitted commitments, split over the LPs by largest remainder so that it sums', () => {
      const lps = admitted(['a', '0.05'], ['b', '0.05'], ['c', '100.00']);
      given(givenFundAfterFirstClose(), lps)
        .when({ type: 'CallCapital', data: { percentage: '0.5', dueDate: '2026-07-31' }, metadata: by('us-treasury', '2026-07-01') })
        // 50% of 100.10 = 50.05. Exact shares 0.025, 0.025, 50.00: rounded down 0.02 + 0.02 + 50.00
        // = 50.04; the cent left goes to the largest remainder (5 tenths of a cent), a and b tied,
        // a first by id: a 0.03, b 0.02, c 50.00.
        .then([
          {
            type: 'CapitalCalled',
            data: {
              callNumber: 1,
              percentage: '0.5',
              dueDate: '2026-07-31',
              admittedUsd: '200000000000.00',
              totalUsd: '50.05',
              lpCount: 3,
              split: { remainderAbove: '5', tiedThrough: 'a' },
            },
          },
        ]);
    });

    it('defaults the due date to the call date', () => {
      given(givenFundAfterFirstClose(), firstCloseLps)
        .when({ type: 'CallCapital', data: { percentage: '0.25' }, metadata: by('us-treasury', '2026-07-01') })
        .then(([event]) => expect(event.data).toMatchObject({ dueDate: '2026-07-01', totalUsd: '50000000000.00' }));
    });
  });

  describe('RecordContributionDefault', () => {
    const afterCall = (): RecordedFundEvent[] => [
      ...givenFundAfterFirstClose(),
      at('2026-07-01', {
        type: 'CapitalCalled',
        data: { callNumber: 1, percentage: '0.10', dueDate: '2026-07-31', admittedUsd: '200000000000.00', totalUsd: '20000000000.00', lpCount: 2 },
      }),
    ];

    it("records the LP's share of the call as defaulted", () => {
      given(afterCall(), firstCloseLps)
        .when({ type: 'RecordContributionDefault', data: { callNumber: 1, lpId: 'jp-gov' }, metadata: by('jp-mof', '2026-08-01') })
        .then([{ type: 'ContributionDefaulted', data: { callNumber: 1, lpId: 'jp-gov', amountUsd: '9000000000.00' } }]);
    });
  });

  describe('RecordContributionDefault after a top-up', () => {
    it('books what the call asked of the LP then, not what it has admitted since', () => {
      // lp-x: 1,000 at close 1; a 10% call; +500 at close 2; then its default on that call.
      const history = [
        usJapanFundEstablished(),
        closeHeld(1, '2026-06-30', '1000.00', 2),
        at('2026-07-01', {
          type: 'CapitalCalled',
          data: { callNumber: 1, percentage: '0.10', dueDate: '2026-07-01', admittedUsd: '1000.00', totalUsd: '100.00', lpCount: 1 },
        }),
        closeHeld(2, '2026-09-30', '500.00', 5),
      ];
      const investors = investorLedger(
        commitmentEntry('lp-x', '1000.00', 2),
        closeEntry(1, '1000.00', 2),
        commitmentEntry('lp-x', '500.00', 5),
        closeEntry(2, '500.00', 5),
      );
      given(history, investors)
        .when({ type: 'RecordContributionDefault', data: { callNumber: 1, lpId: 'lp-x' }, metadata: by('jp-mof', '2026-10-01') })
        .then([{ type: 'ContributionDefaulted', data: { callNumber: 1, lpId: 'lp-x', amountUsd: '100.00' } }]);
    });
  });

  /** One row per rejection code the fund decider can give. */
  const afterCall = (): RecordedFundEvent[] => [
    ...givenFundAfterFirstClose(),
    at('2026-07-01', {
      type: 'CapitalCalled',
      data: { callNumber: 1, percentage: '0.60', dueDate: '2026-07-01', admittedUsd: '200000000000.00', totalUsd: '120000000000.00', lpCount: 2 },
    }),
    at('2026-08-01', { type: 'ContributionDefaulted', data: { callNumber: 1, lpId: 'jp-gov', amountUsd: '54000000000.00' } }),
  ];
  const lateLp = admitted(['us-gov', '110000000000.00'], ['jp-gov', '90000000000.00'], ['late', '5.00', 2]);
  const rows: [string, RecordedFundEvent[], InvestorLedger, FundCommand, RejectionCode][] = [
    ['no fund yet', [], noInvestors, { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '150' }, metadata: by('x', '2026-02-01') }, 'FUND_NOT_ESTABLISHED'],
    [
      'date before inception',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('x', '2025-12-31') },
      'EFFECTIVE_DATE_BEFORE_INCEPTION',
    ],
    [
      'date before the latest',
      afterCall(),
      noInvestors,
      { type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('x', '2026-07-15') },
      'EFFECTIVE_DATE_BEFORE_LATEST',
    ],
    [
      'not a date',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('x', '2026-02-30') },
      'INVALID_DATE',
    ],
    [
      'bad FX rate',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '0' }, metadata: by('x', '2026-02-01') },
      'INVALID_RATE',
    ],
    [
      'FX rate out of its band',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'RecordFxRate', data: { pair: 'USD/JPY', rate: '0.0000001' }, metadata: by('x', '2026-02-01') },
      'INVALID_RATE',
    ],
    [
      'other FX pair',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'RecordFxRate', data: { pair: 'EUR/JPY' as 'USD/JPY', rate: '160' }, metadata: by('x', '2026-02-01') },
      'UNSUPPORTED_CURRENCY',
    ],
    [
      'close by a non-manager',
      [usJapanFundEstablished()],
      investorLedger(commitmentEntry('a', '1.00', 2)),
      { type: 'HoldClose', data: {}, metadata: by('retail-platform', '2026-06-30') },
      'ACTOR_NOT_MANAGER',
    ],
    [
      'close with nothing pending',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'HoldClose', data: {}, metadata: by('us-treasury', '2026-06-30') },
      'NO_PENDING_COMMITMENTS',
    ],
    [
      'close at the hard cap',
      givenFundAfterFirstClose('200000000000.00'),
      investorLedger(commitmentEntry('a', '1.00', 9)),
      { type: 'HoldClose', data: {}, metadata: by('us-treasury', '2026-09-30') },
      'HARD_CAP_REACHED',
    ],
    [
      'call of more than 100%',
      afterCall(),
      firstCloseLps,
      { type: 'CallCapital', data: { percentage: '0.41' }, metadata: by('us-treasury', '2026-09-01') },
      'CALL_EXCEEDS_COMMITMENTS',
    ],
    [
      'call percentage of zero',
      afterCall(),
      firstCloseLps,
      { type: 'CallCapital', data: { percentage: '0' }, metadata: by('us-treasury', '2026-09-01') },
      'INVALID_PERCENTAGE',
    ],
    [
      'call with no admitted LP',
      [usJapanFundEstablished()],
      noInvestors,
      { type: 'CallCapital', data: { percentage: '0.1' }, metadata: by('us-treasury', '2026-09-01') },
      'CALL_WITHOUT_ADMITTED_LP',
    ],
    [
      'due date before the call',
      afterCall(),
      firstCloseLps,
      { type: 'CallCapital', data: { percentage: '0.1', dueDate: '2026-08-30' }, metadata: by('us-treasury', '2026-09-01') },
      'INVALID_DATE',
    ],
    [
      'default on an unknown call',
      afterCall(),
      firstCloseLps,
      { type: 'RecordContributionDefault', data: { callNumber: 7, lpId: 'us-gov' }, metadata: by('us-treasury', '2026-09-01') },
      'UNKNOWN_CALL',
    ],
    [
      'default by an unknown LP',
      afterCall(),
      firstCloseLps,
      { type: 'RecordContributionDefault', data: { callNumber: 1, lpId: 'nobody' }, metadata: by('us-treasury', '2026-09-01') },
      'UNKNOWN_LP',
    ],
    [
      'default by an LP admitted after the call',
      [...afterCall(), closeHeld(2, '2026-08-15', '5.00', 9)],
      lateLp,
      { type: 'RecordContributionDefault', data: { callNumber: 1, lpId: 'late' }, metadata: by('us-treasury', '2026-09-01') },
      'LP_NOT_IN_CALL',
    ],
    [
      'default recorded twice',
      afterCall(),
      firstCloseLps,
      { type: 'RecordContributionDefault', data: { callNumber: 1, lpId: 'jp-gov' }, metadata: by('us-treasury', '2026-09-01') },
      'DEFAULT_ALREADY_RECORDED',
    ],
  ];

  it.each(rows)('rejects %s', (_name, history, investors, command, code) => {
    given(history, investors).when(command).thenRejects(code);
  });

  describe('scope and dates (issue 24: one principal froze the fund; a manager wrote into a fund it does not manage)', () => {
    const fx = (actor: string, date: string, role?: 'manager' | 'operator'): FundCommand => ({
      type: 'RecordFxRate',
      data: { pair: 'USD/JPY', rate: '150.00' },
      metadata: by(actor, date, role ? { role } : {}),
    });
    it("refuses an operator's fact dated after the open period (the quarter after the managers' latest event)", () => {
      // The managers' latest event is the fund's inception, 2026-01-15: facts may be dated up to 2026-06-30.
      given([usJapanFundEstablished()])
        .when(fx('market-data', '2031-01-15', 'operator'))
        .thenRejects('EFFECTIVE_DATE_AFTER_OPEN_PERIOD');
      given([usJapanFundEstablished()])
        .when(fx('market-data', '2026-07-01', 'operator'))
        .thenRejects('EFFECTIVE_DATE_AFTER_OPEN_PERIOD');
      given([usJapanFundEstablished()])
        .when(fx('market-data', '2026-06-30', 'operator'))
        .then((events) => expect(events).toHaveLength(1));
    });

    it('lets only the managers open later periods, by acting in them', () => {
      const later = [usJapanFundEstablished(), at('2026-08-03', { type: 'MilestoneRecorded', data: { milestone: 'm', note: '' } }, 'jp-mof')];
      given(later)
        .when(fx('market-data', '2026-12-31', 'operator'))
        .then((events) => expect(events).toHaveLength(1));
      // A manager may date its own fact ahead, but a fact opens no period; a decision does.
      const managersFact = [...later, at('2027-05-01', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'us-treasury')];
      given(managersFact)
        .when(fx('market-data', '2027-01-01', 'operator'))
        .thenRejects('EFFECTIVE_DATE_AFTER_OPEN_PERIOD');
      const opened = [...later, at('2027-04-02', { type: 'MilestoneRecorded', data: { milestone: 'Q2 opened', note: '' } }, 'us-treasury')];
      given(opened)
        .when(fx('market-data', '2027-09-30', 'operator'))
        .then((events) => expect(events).toHaveLength(1));
      // An operator's own facts never open a period.
      const byOperator = [...later, at('2026-12-31', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data')];
      given(byOperator)
        .when(fx('market-data', '2027-01-01', 'operator'))
        .thenRejects('EFFECTIVE_DATE_AFTER_OPEN_PERIOD');
    });

    it("never refuses a command because another principal dated something later: a manager's decision goes before an operator's later-dated fact", () => {
      const withLateFact = [usJapanFundEstablished(), at('2026-06-30', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data')];
      given(withLateFact)
        .when({ type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('us-treasury', '2026-03-01', { role: 'manager' }) })
        .then((e) => expect(e).toHaveLength(1));
      // And a fact dated before another principal's later fact.
      given(withLateFact)
        .when(fx('market-data', '2026-02-01', 'operator'))
        .then((e) => expect(e).toHaveLength(1));
    });

    it('dates facts from the first day of the quarter of the latest decision: earlier quarters are closed', () => {
      const decided = [usJapanFundEstablished(), at('2026-04-02', { type: 'MilestoneRecorded', data: { milestone: 'm', note: '' } }, 'jp-mof')];
      given(decided)
        .when(fx('market-data', '2026-04-01', 'operator'))
        .then((e) => expect(e).toHaveLength(1));
      given(decided)
        .when(fx('market-data', '2026-03-31', 'operator'))
        .thenRejects('EFFECTIVE_DATE_BEFORE_OPEN_PERIOD');
      // A decision still never goes before the latest decision.
      given(decided)
        .when({ type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('us-treasury', '2026-04-01') })
        .thenRejects('EFFECTIVE_DATE_BEFORE_LATEST');
    });

    it('keeps FX rates in date order whatever order they are recorded in', () => {
      const state = given([
        usJapanFundEstablished(),
        at('2026-03-01', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '150.00' } }, 'market-data'),
        at('2026-02-01', { type: 'FxRateRecorded', data: { pair: 'USD/JPY', rate: '140.00' } }, 'market-data'),
      ]).state;
      expect(state.fxRates.map((r) => r.date)).toEqual(['2026-02-01', '2026-03-01']);
    });

    it('refuses a fact from a manager key in a fund that does not name it', () => {
      given([usJapanFundEstablished()])
        .when(fx('uk-treasury', '2026-02-01', 'manager'))
        .thenRejects('ACTOR_NOT_MANAGER');
      given([usJapanFundEstablished()])
        .when({ type: 'ValueProject', data: { projectId: 'p', fairValue: '1.00' }, metadata: by('uk-treasury', '2026-02-01', { role: 'manager' }) })
        .thenRejects('ACTOR_NOT_MANAGER');
    });

    it('a fund a manager establishes naming another takes no command until the other accepts', () => {
      const established = given([]).when(establishUsJapanFund({}, by('us-treasury', INCEPTION, { role: 'manager' })));
      let events: FundEvent[] = [];
      established.then((e) => (events = e as FundEvent[]));
      expect(events[0]).toMatchObject({ type: 'FundEstablished', data: { awaitingAcceptance: ['jp-mof'] } });
      const history = events.map((e) => at(INCEPTION, e));
      given(history)
        .when({ type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('us-treasury', '2026-02-01') })
        .thenRejects('FUND_AWAITING_ACCEPTANCE');
      given(history)
        .when({ type: 'AcceptManagement', data: {}, metadata: by('us-treasury', '2026-02-01') })
        .thenRejects('MANAGEMENT_ALREADY_ACCEPTED');
      given(history)
        .when({ type: 'AcceptManagement', data: {}, metadata: by('uk-treasury', '2026-02-01') })
        .thenRejects('ACTOR_NOT_MANAGER');
      const accepted = [...history, at('2026-01-20', { type: 'ManagementAccepted', data: { manager: 'jp-mof' } }, 'jp-mof')];
      given(accepted)
        .when({ type: 'RecordMilestone', data: { milestone: 'm' }, metadata: by('us-treasury', '2026-02-01') })
        .then((e) => expect(e).toHaveLength(1));
    });

    it('an admin establishes a fund for its managers, who need not accept', () => {
      given([])
        .when(establishUsJapanFund({}, by('admin', INCEPTION, { role: 'admin' })))
        .then((events) => expect(events[0].data).not.toHaveProperty('awaitingAcceptance'));
    });

    it('a close admits only the commitments dated on or before it', () => {
      const investors = investorLedger(
        commitmentEntry('a', '100.00', 2),
        { ...commitmentEntry('b', '50.00', 3), metadata: { ...commitmentEntry('b', '50.00', 3).metadata, effectiveDate: '2026-07-05' } },
        commitmentEntry('c', '25.00', 4),
      );
      given([usJapanFundEstablished()], investors)
        .when({ type: 'HoldClose', data: {}, metadata: by('us-treasury', '2026-07-01') })
        .then((events) => expect(events[0].data).toMatchObject({ pendingCount: 2, pendingUsd: '125.00', throughPosition: 4, admitsThroughDate: '2026-07-01' }));
    });
  });
});

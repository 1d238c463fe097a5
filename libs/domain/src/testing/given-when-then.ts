import type { FundCommand } from '../fund/fund.commands';
import { decideFund } from '../fund/fund.decider';
import type { FundEvent } from '../fund/fund.events';
import { evolveFund, initialFundState, type FundState, type RecordedFundEvent } from '../fund/fund.state';
import type { InvestorLedger } from '../investors/investor-ledger';
import { Rejection, type RejectionCode } from '../rejections';

/** Emmett's shape: given(events).when(command).then(events) / .thenRejects(code). */
export function given(events: RecordedFundEvent[], investors?: InvestorLedger) {
  const state = events.reduce<FundState>(evolveFund, initialFundState());
  return {
    state,
    when(command: FundCommand) {
      const run = () => decideFund(command, state, investors);
      return {
        then(expected: FundEvent[] | ((events: FundEvent[]) => void)): void {
          const events = run();
          if (typeof expected === 'function') expected(events);
          else expect(events).toEqual(expected);
        },
        thenRejects(code: RejectionCode): void {
          expectRejection(run, code);
        },
      };
    },
  };
}

export function expectRejection(run: () => unknown, code: RejectionCode): void {
  let thrown: unknown;
  try {
    run();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(Rejection);
  expect((thrown as Rejection).code).toBe(code);
}

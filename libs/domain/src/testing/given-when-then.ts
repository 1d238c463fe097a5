import type { AnyCommand } from '../catalog/command-catalog';
import type { ContextParts } from '../catalog/contexts';
import { decideWith, type Decided } from '../decide';
import { evolveFund, initialFundState, type FundState, type RecordedFundEvent } from '../fund/fund.state';
import { InvestorLedger } from '../investors/investor-ledger';
import { Rejection, type RejectionCode } from '../rejections';

/** What a specification gives besides the fund's events: the investor ledger, or the LP's standing. */
type Given = Omit<ContextParts, 'fund' | 'history'>;

/**
 * Emmett's shape, for every decider: given(events).when(command).then(events) / .thenRejects(code).
 * The fund's events are its state and history; the ledger or the LP's standing, when the command's
 * context needs them, are given beside them.
 */
export function given(events: RecordedFundEvent[], parts: Given | InvestorLedger = {}) {
  const state = events.reduce<FundState>(evolveFund, initialFundState());
  const more = parts instanceof InvestorLedger ? { investors: parts } : parts;
  return {
    state,
    when(command: AnyCommand) {
      const run = () => decideWith(command, { fund: state, history: events, ...more });
      return {
        then(expected: Decided[] | ((events: Decided[]) => void)): void {
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

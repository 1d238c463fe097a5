import { DEFAULT_QUOTA, FairQueue, simulationQuotaFrom, type Ticket } from './fair-queue';

/** A line whose items are their own names ('a1': owner a's first run). */
function lineOf(quota: Partial<typeof DEFAULT_QUOTA> = {}) {
  const line = new FairQueue<string>({ running: 1, queued: 8, maxQueued: 12, ...quota });
  const add = (...names: string[]) =>
    names.map((name) => {
      const ticket = line.add(name[0], name);
      if (typeof ticket === 'string') throw new Error(`${name} refused: ${ticket}`);
      return ticket;
    });
  /** One worker: each run ends before the next starts; the names in the order they started. */
  const drain = (): string[] => {
    const started: string[] = [];
    for (let t = line.take(); t; t = line.take()) {
      started.push(t.item);
      line.done(t);
    }
    return started;
  };
  const names = (tickets: Ticket<string>[]) => tickets.map((t) => t.item);
  return { line, add, drain, names };
}

describe('the simulation line: turns among owners', () => {
  it('takes each owner in turn, not first come first served, and predicts that order', () => {
    const { line, add, drain, names } = lineOf();
    add('a1', 'a2', 'a3', 'a4', 'b1', 'b2', 'c1');
    expect(names(line.order())).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
    expect(drain()).toEqual(['a1', 'b1', 'c1', 'a2', 'b2', 'a3', 'a4']);
  });

  it("puts a newcomer's run next, ahead of the queue of an owner already running: it waits at most that one run", () => {
    const { line, add, names } = lineOf();
    add('a1', 'a2', 'a3', 'a4');
    const a1 = line.take()!;
    add('b1');
    expect(names(line.order())).toEqual(['b1', 'a2', 'a3', 'a4']);
    line.done(a1);
    expect(line.take()!.item).toBe('b1');
  });

  it('serves an owner not yet served first, then each in turn: no owner goes twice while another waits', () => {
    const { line, add, drain, names } = lineOf();
    add('a1', 'a2');
    const a1 = line.take()!;
    add('b1', 'b2');
    line.done(a1);
    const b1 = line.take()!;
    add('c1', 'c2');
    line.done(b1);
    expect(names(line.order())).toEqual(['c1', 'a2', 'b2', 'c2']);
    expect(drain()).toEqual(['c1', 'a2', 'b2', 'c2']);
  });

  it('starts at most the quota of an owner at once, and the others meanwhile', () => {
    const { line, add } = lineOf({ running: 2 });
    add('a1', 'a2', 'a3');
    expect([line.take()?.item, line.take()?.item, line.take()?.item]).toEqual(['a1', 'a2', undefined]);
    add('b1');
    expect(line.take()?.item).toBe('b1');
    expect(line.holding('a')).toEqual({ running: 2, waiting: 1 });
  });
});

describe('the simulation line: what it refuses', () => {
  it.each([
    ['the quota waiting once an owner runs its quota', { running: 1, queued: 2, maxQueued: 4 }, ['a1', 'a2', 'a3'], 'a4', 'OWNER_FULL'],
    ['a second run when none may wait', { running: 1, queued: 0, maxQueued: 4 }, ['a1'], 'a2', 'OWNER_FULL'],
    ['anyone when the whole line is full of several owners', { running: 1, queued: 2, maxQueued: 4 }, ['a1', 'a2', 'a3', 'b1', 'b2'], 'c1', 'FULL'],
  ])('refuses %s', (_name, quota, before, next, refusal) => {
    const { line, add } = lineOf(quota);
    add(...before.slice(0, 1));
    line.take();
    add(...before.slice(1));
    expect(line.add(next[0], next)).toBe(refusal);
  });

  it('lets another owner in while one owner is at its quota: one owner cannot fill the line', () => {
    const { line, add } = lineOf({ running: 1, queued: 2, maxQueued: 4 });
    add('a1');
    line.take();
    add('a2', 'a3');
    expect(line.add('a', 'a4')).toBe('OWNER_FULL');
    expect(typeof line.add('b', 'b1')).toBe('object');
  });

  it('takes a run out of the line when its client goes away; the runs behind it move up', () => {
    const { line, add, drain, names } = lineOf();
    const [, a2] = add('a1', 'a2', 'a3', 'b1');
    expect(line.remove(a2)).toBe(true);
    expect(line.remove(a2)).toBe(false);
    expect(names(line.order())).toEqual(['a1', 'b1', 'a3']);
    expect(drain()).toEqual(['a1', 'b1', 'a3']);
    expect(line.waiting).toBe(0);
  });
});

describe('FUNDSIM_SIMULATION_QUOTA', () => {
  it.each([
    [undefined, { running: 1, queued: 2 }],
    ['', { running: 1, queued: 2 }],
    ['2', { running: 2, queued: 2 }],
    ['1/0', { running: 1, queued: 0 }],
    [' 3/5 ', { running: 3, queued: 5 }],
  ])('reads %j', (value, quota) => {
    expect(simulationQuotaFrom(value)).toEqual({ ...quota, maxQueued: DEFAULT_QUOTA.maxQueued });
  });

  it.each(['0', '1/16', 'x', '1/', '-1'])('refuses %j', (value) => {
    expect(() => simulationQuotaFrom(value)).toThrow(/FUNDSIM_SIMULATION_QUOTA/);
  });
});

import { COMMAND_RECHECKING, COMMAND_TYPES, COMMANDS, routeParams, type CommandEntry } from './command-catalog';
import { field, type Schema } from './fields';

describe('the command catalog', () => {
  it('holds a schema to its command data: a missing, extra, wrongly optional or wrongly shaped field does not compile', () => {
    type Data = { amount: string; paymentDate?: string; kind: 'a' | 'b'; count: number; ids: string[] };
    const ok: Schema<Data> = {
      amount: field.amount(),
      paymentDate: field.optional(field.date()),
      kind: field.oneOf(['a', 'b'] as const),
      count: field.int(),
      ids: field.ids(),
    };
    // @ts-expect-error a field of the data is missing
    const missing: Schema<Data> = {
      amount: field.amount(),
      paymentDate: field.optional(field.date()),
      kind: field.oneOf(['a', 'b'] as const),
      count: field.int(),
    };
    const extra: Schema<Data> = {
      ...ok,
      // @ts-expect-error a field the data does not have
      surplus: field.text(),
    };
    // @ts-expect-error a required field declared optional
    const wronglyOptional: Schema<Data> = { ...ok, amount: field.optional(field.amount()) };
    // @ts-expect-error an optional field declared required
    const wronglyRequired: Schema<Data> = { ...ok, paymentDate: field.date() };
    // @ts-expect-error a number declared as text
    const wrongKind: Schema<Data> = { ...ok, count: field.text() };
    // @ts-expect-error an enum's values not the data's
    const wrongValues: Schema<Data> = { ...ok, kind: field.oneOf(['a', 'c'] as const) };
    expect([missing, extra, wronglyOptional, wronglyRequired, wrongKind, wrongValues].every((s) => typeof s === 'object')).toBe(true);
    expect(Object.keys(ok)).toEqual(['amount', 'paymentDate', 'kind', 'count', 'ids']);
  });

  it('gives each command its own route, every route parameter a field of its data (but the fund id)', () => {
    const routes = COMMAND_TYPES.map((type) => COMMANDS[type].route);
    expect(new Set(routes).size).toBe(routes.length);
    for (const type of COMMAND_TYPES) {
      const entry: CommandEntry = COMMANDS[type];
      for (const param of routeParams(entry).slice(1)) expect([type, param, Object.hasOwn(entry.data, param)]).toEqual([type, param, true]);
    }
  });

  it('records on an LP stream only commands that name their LP', () => {
    for (const type of COMMAND_TYPES.filter((t) => COMMANDS[t].stream === 'lp')) expect(Object.keys(COMMANDS[type].data)).toContain('lpId');
  });

  it('re-checks each event with one command at most', () => {
    const rechecked = COMMAND_TYPES.flatMap((t) => COMMANDS[t].rechecks ?? []);
    expect(new Set(rechecked).size).toBe(rechecked.length);
    expect(COMMAND_RECHECKING.get('LeverageDrawn')).toBe('DrawLeverage');
  });
});

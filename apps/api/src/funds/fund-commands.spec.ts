import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_TYPES, COMMANDS } from '@fundsim/domain';
import { commandDto } from './command-dtos';

describe('the command routes, from the command catalog', () => {
  it("are what docs/events.md's table says: each command with its route", () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/events.md'), 'utf8');
    const rows = [...doc.matchAll(/`([A-Z][A-Za-z]+)` \(`POST ([^`]+)`\)/g)].map((m) => [m[1], m[2].replace('/funds/:fundId/', '.../')]);
    expect(Object.fromEntries(rows.sort())).toEqual(Object.fromEntries(COMMAND_TYPES.map((t) => [t, `.../${COMMANDS[t].route}`]).sort()));
  });

  const errorsOf = (type: keyof typeof COMMANDS, body: object) =>
    validateSync(plainToInstance(commandDto(type, COMMANDS[type]), body), { whitelist: true, forbidNonWhitelisted: true }).flatMap((e) => [
      e.property,
      ...Object.values(e.constraints ?? {}),
      ...(e.children ?? []).map((c) => `${e.property}.${c.property}`),
    ]);

  it("validate a body by its command's fields: required, optional, patterns, enums, dates, groups", () => {
    expect(errorsOf('CallCapital', { effectiveDate: '2026-06-30', percentage: '0.10' })).toEqual([]);
    expect(errorsOf('CallCapital', { effectiveDate: '2026-06-30', percentage: '0.10', dueDate: '2026-02-30' })).toEqual([
      'dueDate',
      'dueDate must be a date YYYY-MM-DD',
    ]);
    expect(errorsOf('CallCapital', { effectiveDate: '2026-06-30', percentage: 'ten' })).toEqual([
      'percentage',
      'percentage must be a decimal fraction such as "0.10"',
    ]);
    expect(errorsOf('RecordFxRate', { effectiveDate: '2026-06-30', pair: 'EUR/JPY', rate: '150' })).toContain('pair');
    expect(errorsOf('HoldClose', { effectiveDate: '2026-06-30', percentage: '0.1' })).toEqual(['percentage', 'property percentage should not exist']);
    const fund = {
      effectiveDate: '2026-01-01',
      name: 'F',
      targetSize: '100',
      hardCap: '100',
      managers: ['a', 'not an id'],
      approvalsRequired: ['a'],
      leveragePolicy: { maxRatio: '1', basis: 'assets' },
      concentrationLimit: '0.5',
      equalizationRate: '0.05',
    };
    expect(errorsOf('EstablishFund', fund)).toEqual(['managers', 'each of managers must be an id', 'leveragePolicy', 'leveragePolicy.basis']);
  });

  it('take a field their route carries from the path, never from the body', () => {
    expect(errorsOf('DrawLeverage', { effectiveDate: '2026-06-30', amount: '10' })).toEqual([]);
    expect(errorsOf('DrawLeverage', { effectiveDate: '2026-06-30', amount: '10', facilityId: 'f' })).toEqual([
      'facilityId',
      'property facilityId should not exist',
    ]);
  });

  it('have no effective date for a correction, which takes the date of the event it corrects', () => {
    expect(errorsOf('ReverseEvent', { reason: 'stale', effectiveDate: '2026-06-30' })).toEqual(['effectiveDate', 'property effectiveDate should not exist']);
  });
});

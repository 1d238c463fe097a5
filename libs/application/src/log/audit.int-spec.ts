import { establishUsJapanFund } from '@fundsim/domain/testing/fund-fixtures';
import { MemoryEventStore } from '@fundsim/event-store';
import { AuditService } from './audit.service';
import { FundCommandService, type AnyCommand } from '../commands/fund-commands.service';
import { fundStream } from '../streams';

const m = (actor: string, effectiveDate: string) => ({ actor, effectiveDate });

/** A fund with one allocation through funding and a corrected valuation, and one rejected. */
async function auditedFund() {
  const store = new MemoryEventStore();
  const commands = new FundCommandService(store);
  const audit = new AuditService(store);
  const run = (command: AnyCommand) => commands.execute('usjp', command);
  await run(establishUsJapanFund());
  await run({
    type: 'CommitCapital',
    data: { lpId: 'us-gov', kind: 'sovereign', country: 'US', amount: '10000.00', currency: 'USD' },
    metadata: m('us-treasury', '2026-02-01'),
  });
  await run({ type: 'HoldClose', data: {}, metadata: m('jp-mof', '2026-02-10') });
  await run({ type: 'CallCapital', data: { percentage: '0.20' }, metadata: m('us-treasury', '2026-03-01') });
  await run({
    type: 'OpenCreditFacility',
    data: { facilityId: 'jbic', lender: 'JBIC', limit: '5000.00', annualRate: '0.04', dayCount: 'ACT/365', maturityDate: '2030-01-01' },
    metadata: m('jp-mof', '2026-03-01'),
  });
  await run({
    type: 'RegisterProject',
    data: {
      projectId: 'stargate',
      name: 'Stargate',
      sector: 'ai-infrastructure',
      partners: ['OpenAI', 'Oracle', 'SoftBank', 'MGX'],
      totalProjectSize: '500000.00',
    },
    metadata: m('us-treasury', '2026-03-02'),
  });
  await run({
    type: 'ProposeAllocation',
    data: { allocationId: 'al-stargate', projectId: 'stargate', amount: '1500.00' },
    metadata: m('us-treasury', '2026-03-02'),
  });
  await run({
    type: 'ProposeAllocation',
    data: { allocationId: 'al-icebreakers', projectId: 'stargate', amount: '100.00' },
    metadata: m('us-treasury', '2026-03-03'),
  });
  await run({ type: 'RejectAllocation', data: { allocationId: 'al-icebreakers', reason: 'outside the mandate' }, metadata: m('jp-mof', '2026-03-04') });
  await run({ type: 'ApproveAllocation', data: { allocationId: 'al-stargate' }, metadata: m('jp-mof', '2026-03-05') });
  await run({ type: 'FundProject', data: { allocationId: 'al-stargate', amount: '1000.00' }, metadata: m('us-treasury', '2026-03-06') });
  await run({ type: 'DrawLeverage', data: { facilityId: 'jbic', amount: '2000.00' }, metadata: m('jp-mof', '2026-03-07') });
  await run({ type: 'ValueProject', data: { projectId: 'stargate', fairValue: '1200.00' }, metadata: m('us-treasury', '2026-03-31') });
  return { store, audit, run };
}

describe('audit', () => {
  it("tells each allocation's story in log order, with the correction that touched a line", async () => {
    const { audit, run } = await auditedFund();
    const valuation = (await audit.trail('usjp', 'al-stargate')).lines.find((l) => l.type === 'ProjectValued')!;
    await run({
      type: 'ReverseEvent',
      data: {
        eventId: valuation.eventId,
        reason: 'model error',
        replacement: { type: 'ProjectValued', data: { projectId: 'stargate', fairValue: '1100.00' } },
      },
      metadata: m('jp-mof', '2026-04-02'),
    });

    const trail = await audit.trail('usjp', 'al-stargate');
    expect(trail).toMatchObject({
      projectName: 'Stargate',
      sector: 'ai-infrastructure',
      amount: '1500.00',
      status: 'committed',
      proposedBy: 'us-treasury',
      approvedBy: ['us-treasury', 'jp-mof'],
      funded: '1000.00',
    });
    expect(trail.lines.map((l) => [l.type, l.actor, l.effectiveDate])).toEqual([
      ['AllocationProposed', 'us-treasury', '2026-03-02'],
      ['AllocationApproved', 'jp-mof', '2026-03-05'],
      ['AllocationCommitted', 'jp-mof', '2026-03-05'],
      ['ProjectFunded', 'us-treasury', '2026-03-06'],
      ['ProjectValued', 'us-treasury', '2026-03-31'],
    ]);
    const positions = trail.lines.map((l) => l.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    for (const l of trail.lines) expect(l.eventId).toMatch(/^[0-9a-f-]{36}$/);
    const [correction] = trail.lines[4].corrections;
    expect(correction).toMatchObject({
      actor: 'jp-mof',
      reason: 'model error',
      replacedBy: 'ProjectValued',
      changed: [{ field: 'fairValue', from: '1200.00', to: '1100.00' }],
    });
    expect(correction.position).toBeGreaterThan(trail.lines[4].position);

    const rejected = await audit.trail('usjp', 'al-icebreakers');
    expect(rejected.status).toBe('rejected');
    expect(rejected.lines.map((l) => l.type)).toEqual(['AllocationProposed', 'AllocationRejected', 'ProjectValued']);
    expect((await audit.allocations('usjp')).map((a) => [a.allocationId, a.status, a.lines, a.corrections])).toEqual([
      ['al-stargate', 'committed', 5, 1],
      ['al-icebreakers', 'rejected', 3, 1],
    ]);
    await expect(audit.trail('usjp', 'al-none')).rejects.toMatchObject({ code: 'UNKNOWN_ALLOCATION' });
  });

  it('recomputes every check with its figures, and lists breaches written around the deciders', async () => {
    const { store, audit } = await auditedFund();
    const clean = await audit.compliance('usjp');
    expect(clean.breaches).toBe(0);
    expect(clean.entries.map((e) => [e.type, e.subject, e.ok])).toEqual([
      ['AllocationCommitted', 'al-stargate', true],
      ['ProjectFunded', 'al-stargate', true],
      ['LeverageDrawn', 'jbic', true],
    ]);
    expect(clean.entries[0].checks.find((c) => c.rule === 'concentration-limit')!.figures).toMatchObject({
      projectCommittedAfter: '1500.00',
      limitAmount: '6000.00',
    });

    // An importer (or an older rule set) wrote these straight into the log.
    const revision = (await store.streamRevision(fundStream('usjp')))!;
    await store.append(
      fundStream('usjp'),
      [
        { type: 'ProjectFunded', data: { allocationId: 'al-stargate', projectId: 'stargate', amount: '3900.00' }, metadata: m('importer', '2026-04-01') },
        { type: 'LeverageDrawn', data: { facilityId: 'jbic', amount: '4000.00' }, metadata: m('importer', '2026-04-01') },
      ],
      { expectedRevision: revision },
    );
    const report = await audit.compliance('usjp');
    expect(report.breaches).toBe(2);
    const [funding, draw] = report.entries.slice(-2);
    // Cash: 2,000.00 called + 2,000.00 drawn - 1,000.00 funded.
    expect(funding.checks.filter((c) => !c.ok).map((c) => [c.rule, c.figures])).toEqual([
      ['within-allocation', { amount: '3900.00', allocation: '1500.00', fundedBefore: '1000.00', left: '500.00' }],
      ['within-cash', { amount: '3900.00', cashAvailable: '3000.00' }],
    ]);
    expect(draw.checks.filter((c) => !c.ok).map((c) => [c.rule, c.figures])).toEqual([
      ['facility-limit', { principalBefore: '2000.00', amount: '4000.00', principalAfter: '6000.00', limit: '5000.00' }],
    ]);
    expect(draw.checks.find((c) => c.rule === 'leverage-cap')).toMatchObject({ ok: true, figures: { debtAfter: '6000.00', cap: '23300.00' } });

    // A fee written around the deciders beyond the cash: reported with the deciders' own check and
    // message (the one `ChargeManagementFee` refuses with).
    await store.append(
      fundStream('usjp'),
      [{ type: 'ManagementFeeCharged', data: { amount: '99999.00', period: '2026-Q2' }, metadata: m('importer', '2026-04-02') }],
      {
        expectedRevision: revision + 2,
      },
    );
    const fee = (await audit.compliance('usjp')).entries.at(-1)!;
    expect([fee.type, fee.subject, fee.ok, fee.checks.map((c) => c.rule)]).toEqual(['ManagementFeeCharged', '2026-Q2', false, ['within-cash']]);
    expect(fee.checks[0].message).toMatch(/^A management fee of 99,999\.00 USD against .* of cash available on 2026-04-02$/);
  });
});

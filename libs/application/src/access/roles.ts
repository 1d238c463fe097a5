/**
 * Who may do what (the access table in apps/api/src/access.ts says where):
 * - manager: one fund manager (`us-treasury`, `jp-mof`): the fund's decisions, in its own name;
 * - operator: investor and market facts (commitments from a retail platform, FX rates, valuations, proceeds);
 * - lp: one LP: its own capital account and simulations;
 * - auditor: reads everything, writes nothing;
 * - admin: reads everything; keys and imports go through the CLI, which opens the store itself.
 */
export const ROLES = ['manager', 'operator', 'lp', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

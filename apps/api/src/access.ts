import type { Role } from '@fundsim/application';
import { COMMAND_TYPES, COMMANDS } from '@fundsim/domain';

/** Who may call a route: `public`, or these roles (an `lp` only for its own `:lpId`). */
export interface AccessRule {
  roles: 'public' | readonly Role[];
  /** For the `lp` role: the route's parameter that must be the key's own LP id. */
  own?: 'lpId';
}

const READERS: readonly Role[] = ['manager', 'auditor', 'admin'];

/**
 * The access table: every route of the API, by method and path. A route missing from it is
 * refused (and the access test fails), so nothing is reachable by omission. docs/access.md's table
 * is this one. Nobody edits or deletes events: there is no such route.
 */
export const ACCESS: Readonly<Record<string, AccessRule>> = {
  'GET /health': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /metrics': { roles: READERS },
  // The dashboard's page (its scripts and styles, /web/*, are static files, public too), and who a key is.
  'GET /': { roles: 'public' },
  'GET /me': { roles: ['manager', 'operator', 'lp', 'auditor', 'admin'] },
  // The funds a key may see (the answer is filtered by its principal: fundsFor).
  'GET /funds': { roles: ['manager', 'operator', 'lp', 'auditor', 'admin'] },

  // The commands, as the command catalog declares them: fund decisions from a manager in its own
  // name (the domain checks it manages this fund); facts (investor and market data) from an
  // operator or a manager; a fund established by an admin, or by a manager it names.
  ...Object.fromEntries(COMMAND_TYPES.map((type) => [`POST /funds/:fundId/${COMMANDS[type].route}`, { roles: COMMANDS[type].roles }])),

  // A platform's file of commitments, row by row, as one scenario (each row a CommitCapital in the operator's name).
  'POST /funds/:fundId/commitment-batches': { roles: ['operator'] },

  // The books.
  'GET /funds/:fundId/balance-sheet': { roles: READERS },
  'GET /funds/:fundId/balance-sheet/stream': { roles: READERS },
  'GET /funds/:fundId/performance': { roles: READERS },
  'GET /funds/:fundId/waterfall': { roles: READERS },
  'GET /funds/:fundId/managers/:manager/revenue': { roles: READERS },
  'GET /funds/:fundId/lps': { roles: READERS },
  'GET /funds/:fundId/lps/:lpId': { roles: [...READERS, 'lp'], own: 'lpId' },
  'GET /funds/:fundId/lps/:lpId/ilpa-statement': { roles: [...READERS, 'lp'], own: 'lpId' },
  'GET /funds/:fundId/lps/:lpId/transactions': { roles: [...READERS, 'lp'], own: 'lpId' },
  // Notices: an LP reads its own; all the notices of a call or distribution, the readers.
  'GET /funds/:fundId/capital-calls/:callNumber/notices': { roles: READERS },
  'GET /funds/:fundId/capital-calls/:callNumber/notices/:lpId': { roles: [...READERS, 'lp'], own: 'lpId' },
  'GET /funds/:fundId/distributions/:distributionNumber/notices': { roles: READERS },
  'GET /funds/:fundId/distributions/:distributionNumber/notices/:lpId': { roles: [...READERS, 'lp'], own: 'lpId' },
  'POST /funds/:fundId/simulations/lp-commitment': { roles: [...READERS, 'operator', 'lp'] },
  'POST /funds/:fundId/simulations/fund': { roles: READERS },

  // The log and the audit.
  'GET /events': { roles: READERS },
  'GET /events/verify': { roles: READERS },
  'GET /funds/:fundId/events': { roles: READERS },
  'GET /funds/:fundId/events/export': { roles: READERS },
  'GET /funds/:fundId/approvals': { roles: READERS },
  'GET /funds/:fundId/audit/allocations': { roles: READERS },
  'GET /funds/:fundId/audit/allocations/:allocationId': { roles: READERS },
  'GET /funds/:fundId/audit/compliance': { roles: READERS },
  'GET /funds/:fundId/audit/verify': { roles: READERS },
};

/** Who may call a route, in words: `anyone (no key)` or its roles. */
export const whoMayCall = (rule: AccessRule): string =>
  rule.roles === 'public' ? 'anyone (no key)' : rule.roles.map((r) => (r === 'lp' && rule.own ? 'lp (its own account only)' : r)).join(', ');

/** The table as docs/access.md shows it (a test keeps the two identical). */
export function accessTableMarkdown(): string {
  const lines = ['| route | who may call it |', '| --- | --- |'];
  for (const [route, rule] of Object.entries(ACCESS)) {
    lines.push(`| \`${route}\` | ${whoMayCall(rule)} |`);
  }
  return lines.join('\n');
}

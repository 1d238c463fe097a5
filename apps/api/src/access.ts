import type { Role } from '@fundsim/application';

/** Who may call a route: `public`, or these roles (an `lp` only for its own `:lpId`). */
export interface AccessRule {
  roles: 'public' | readonly Role[];
  /** For the `lp` role: the route's parameter that must be the key's own LP id. */
  own?: 'lpId';
}

const READERS: readonly Role[] = ['manager', 'auditor', 'admin'];
const MANAGERS: readonly Role[] = ['manager'];
const FACTS: readonly Role[] = ['operator', 'manager'];

/**
 * The access table: every route of the API, by method and path. A route missing from it is
 * refused (and the access test fails), so nothing is reachable by omission. The README's table
 * is this one. Nobody edits or deletes events: there is no such route.
 */
export const ACCESS: Readonly<Record<string, AccessRule>> = {
  'GET /health': { roles: 'public' },
  'GET /health/ready': { roles: 'public' },
  'GET /metrics': { roles: READERS },
  // The dashboard's page (its scripts and styles, /web/*, are static files, public too), and who a key is.
  'GET /': { roles: 'public' },
  'GET /me': { roles: ['manager', 'operator', 'lp', 'auditor', 'admin'] },

  // Fund decisions: a manager, in its own name (the domain checks it manages this fund).
  // An admin establishes a fund; a manager one that names it, which the others named then accept.
  'POST /funds/:fundId/establish': { roles: ['manager', 'admin'] },
  'POST /funds/:fundId/acceptances': { roles: MANAGERS },
  'POST /funds/:fundId/milestones': { roles: MANAGERS },
  'POST /funds/:fundId/closes': { roles: MANAGERS },
  'POST /funds/:fundId/capital-calls': { roles: MANAGERS },
  'POST /funds/:fundId/capital-calls/:callNumber/defaults': { roles: MANAGERS },
  'POST /funds/:fundId/credit-facilities': { roles: MANAGERS },
  'POST /funds/:fundId/credit-facilities/:facilityId/draws': { roles: MANAGERS },
  'POST /funds/:fundId/credit-facilities/:facilityId/interest-payments': { roles: MANAGERS },
  'POST /funds/:fundId/credit-facilities/:facilityId/repayments': { roles: MANAGERS },
  'POST /funds/:fundId/projects': { roles: MANAGERS },
  'POST /funds/:fundId/allocations': { roles: MANAGERS },
  'POST /funds/:fundId/allocations/:allocationId/approvals': { roles: MANAGERS },
  'POST /funds/:fundId/allocations/:allocationId/rejections': { roles: MANAGERS },
  'POST /funds/:fundId/allocations/:allocationId/fundings': { roles: MANAGERS },
  'POST /funds/:fundId/distributions': { roles: MANAGERS },
  'POST /funds/:fundId/management-fees': { roles: MANAGERS },
  'POST /funds/:fundId/expenses': { roles: MANAGERS },
  'POST /funds/:fundId/events/:eventId/reversals': { roles: MANAGERS },
  'POST /funds/:fundId/events/:eventId/reversals/approvals': { roles: MANAGERS },
  'POST /funds/:fundId/events/:eventId/reversals/rejections': { roles: MANAGERS },

  // Facts: investor and market data, from an operator (or a manager).
  // A platform's retail and institutional LPs; the managers record the sovereigns' (the domain checks which).
  'POST /funds/:fundId/commitments': { roles: ['operator', 'manager'] },
  'POST /funds/:fundId/fx-rates': { roles: FACTS },
  'POST /funds/:fundId/projects/:projectId/valuations': { roles: FACTS },
  'POST /funds/:fundId/projects/:projectId/proceeds': { roles: FACTS },

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
  'GET /funds/:fundId/audit/allocations': { roles: READERS },
  'GET /funds/:fundId/audit/allocations/:allocationId': { roles: READERS },
  'GET /funds/:fundId/audit/compliance': { roles: READERS },
  'GET /funds/:fundId/audit/verify': { roles: READERS },
};

/** Who may call a route, in words: `anyone (no key)` or its roles. */
export const whoMayCall = (rule: AccessRule): string =>
  rule.roles === 'public' ? 'anyone (no key)' : rule.roles.map((r) => (r === 'lp' && rule.own ? 'lp (its own account only)' : r)).join(', ');

/** The table as the README shows it (a test keeps the two identical). */
export function accessTableMarkdown(): string {
  const lines = ['| route | who may call it |', '| --- | --- |'];
  for (const [route, rule] of Object.entries(ACCESS)) {
    lines.push(`| \`${route}\` | ${whoMayCall(rule)} |`);
  }
  return lines.join('\n');
}

/**
 * Where events live. The fund's own events are on one stream; each LP's commitments on a stream
 * of its own (a million retail subscriptions never contend on the fund's stream), named under
 * the fund so one prefix reads them all.
 */
export const FUND_ID = /^[a-z0-9][a-z0-9-]{0,31}$/;

export const fundStream = (fundId: string): string => `fund-${fundId}`;
export const lpStreamPrefix = (fundId: string): string => `fund-${fundId}.lp-`;
export const lpStream = (fundId: string, lpId: string): string => `${lpStreamPrefix(fundId)}${lpId}`;

/** Who imported which scenario files into a fund, and the positions they wrote: beside the fund's streams, not among them. */
export const importsStream = (fundId: string): string => `imports-${fundId}`;

/** True for the fund's stream and its LP streams (and not for fund-usjp2's). */
export const isFundStream = (fundId: string, stream: string): boolean => stream === fundStream(fundId) || stream.startsWith(`${fundStream(fundId)}.`);

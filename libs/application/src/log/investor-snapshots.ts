import { InvestorLedger, type InvestorLedgerSnapshot } from '@fundsim/domain';
import type { EventStore } from '@fundsim/event-store';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FORMAT = 'fundsim-investor-ledger';
/** The layout of the investor ledger in a snapshot: raise it when `InvestorLedger.toSnapshot` changes shape (an older one is then refolded, not read). */
const VERSION = 1;

/** A snapshot's first line: what it is, where in the log it stands, and a checksum of the rest. */
interface Header {
  format: string;
  version: number;
  fundId: string;
  /** Log position the ledger was folded to, and the hash of the event there. */
  position: number;
  hash: string;
  bytes: number;
  sha256: string;
}

export type SnapshotLoad =
  { status: 'loaded'; ledger: InvestorLedger; position: number; hash: string } | { status: 'none' | 'corrupt' | 'stale'; reason: string };

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * The investor ledger of each fund persisted beside the log (a file per fund in the store's
 * snapshot directory), so a restarted process folds only what was appended since. A snapshot is
 * trusted only if its header, length and checksum hold and the log still has, at its position,
 * the event it was folded to (same hash); anything else is reported and the caller folds from
 * the log instead (and writes a fresh snapshot).
 */
export class InvestorSnapshots {
  constructor(private readonly store: EventStore) {}

  private file(fundId: string): string | undefined {
    return this.store.snapshotDirectory === undefined ? undefined : join(this.store.snapshotDirectory, `${fundId}.investors.json`);
  }

  async load(fundId: string): Promise<SnapshotLoad> {
    const file = this.file(fundId);
    if (file === undefined) return { status: 'none', reason: `${this.store.description} keeps no snapshots` };
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      return { status: 'none', reason: `no snapshot at ${file}` };
    }
    const newline = bytes.indexOf(0x0a);
    let header: Header;
    try {
      header = JSON.parse(bytes.subarray(0, newline < 0 ? bytes.length : newline).toString('utf8')) as Header;
    } catch {
      return { status: 'corrupt', reason: `${file}: unreadable header` };
    }
    if (header.format !== FORMAT || header.fundId !== fundId) return { status: 'corrupt', reason: `${file}: not an investor snapshot of fund ${fundId}` };
    // Another build's layout of the ledger: not damage, just folded again from the log (and rewritten).
    if (header.version !== VERSION) return { status: 'stale', reason: `${file}: snapshot version ${header.version}, this build reads version ${VERSION}` };
    const body = bytes.subarray(newline + 1);
    if (body.length !== header.bytes)
      return { status: 'corrupt', reason: `${file}: ${body.length} bytes after the header, expected ${header.bytes} (truncated?)` };
    if (sha256(body) !== header.sha256) return { status: 'corrupt', reason: `${file}: checksum mismatch` };
    let at: { position: number; hash: string } | undefined;
    for await (const event of this.store.readAll({ fromPosition: header.position, maxCount: 1 })) at = event;
    if (at?.position !== header.position || at.hash !== header.hash) {
      return { status: 'stale', reason: `${file}: the log no longer holds the event it was folded to (position ${header.position})` };
    }
    try {
      return {
        status: 'loaded',
        ledger: InvestorLedger.fromSnapshot(JSON.parse(body.toString('utf8')) as InvestorLedgerSnapshot),
        position: header.position,
        hash: header.hash,
      };
    } catch (error) {
      return { status: 'corrupt', reason: `${file}: ${(error as Error).message}` };
    }
  }

  /** Writes the ledger as folded to `position` (the hash of the event there), atomically. */
  async save(fundId: string, ledger: InvestorLedger, position: number, hash: string): Promise<void> {
    const file = this.file(fundId);
    if (file === undefined) return;
    const body = Buffer.from(JSON.stringify(ledger.toSnapshot()), 'utf8');
    const header: Header = { format: FORMAT, version: VERSION, fundId, position, hash, bytes: body.length, sha256: sha256(body) };
    mkdirSync(this.store.snapshotDirectory!, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    // The header, then the body as it is: not a copy of a million LPs' bytes joined to it.
    const fd = openSync(temporary, 'w');
    try {
      writeFileSync(fd, `${JSON.stringify(header)}\n`, 'utf8');
      writeFileSync(fd, body);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  }
}

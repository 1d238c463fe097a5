import { Injectable } from '@nestjs/common';
import { StreamNotFoundError, type EventStore, type StoredEvent } from '@fundsim/event-store';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { userInfo } from 'node:os';
import { InjectEventStore } from '../event-store.provider';

import { decodeStored, versioned, type ApiKeyIssued, type ApiKeyRevoked } from '../log/event-codec';
import { ROLES, type Role } from './roles';

export { ROLES, type Role };

/** An authenticated caller: the key's role and the id it acts as (a manager or LP id, a platform). */
export interface Principal {
  keyId: string;
  role: Role;
  subject: string;
  /** For an LP: the fund it is an LP of (LP ids are only unique within a fund). */
  fundId?: string;
}

export interface KeyRecord extends Principal {
  issuedAt: string;
  issuedBy: string;
  revokedAt?: string;
  revokedBy?: string;
  reason?: string;
}

/** A key as handed out once: `fsk_<keyId>_<secret>`. Only the secret's SHA-256 is stored. */
export interface IssuedKey extends Principal {
  key: string;
}

/** Keys and revocations are events of this stream, so their history is in the audited log. */
export const KEYS_STREAM = 'access-keys';
const SUBJECT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const TOKEN = /^fsk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const FUND = /^[a-z0-9][a-z0-9-]{0,31}$/;

export class KeyError extends Error {
  constructor(
    readonly code: 'INVALID_KEY_REQUEST' | 'UNKNOWN_KEY' | 'KEY_ALREADY_REVOKED',
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

interface KeyState extends KeyRecord {
  secretSha256: Buffer;
}

/** Issues, revokes and checks API keys; the keys' stream is folded and kept up to date. */
@Injectable()
export class KeyService {
  private readonly keys = new Map<string, KeyState>();
  private revision = -1;

  constructor(@InjectEventStore() private readonly store: EventStore) {}

  async issue(role: string, subject: string | undefined, issuedBy: string, fundId?: string): Promise<IssuedKey> {
    if (!(ROLES as readonly string[]).includes(role))
      throw new KeyError('INVALID_KEY_REQUEST', `role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(role)}`);
    const needsSubject = role === 'manager' || role === 'lp' || role === 'operator';
    const who = subject ?? (needsSubject ? undefined : role);
    if (who === undefined)
      throw new KeyError(
        'INVALID_KEY_REQUEST',
        `a ${role} key needs --subject (${role === 'manager' ? 'the manager id, e.g. us-treasury' : role === 'lp' ? 'the LP id' : 'the platform it acts as, e.g. retail-platform'})`,
      );
    if (!SUBJECT.test(who)) throw new KeyError('INVALID_KEY_REQUEST', `subject must be 1-64 letters, digits, ".", "_" or "-", got ${JSON.stringify(who)}`);
    if (role === 'lp' && (fundId === undefined || !FUND.test(fundId)))
      throw new KeyError('INVALID_KEY_REQUEST', 'an lp key needs --fund: the fund it is an LP of');
    if (role !== 'lp' && fundId !== undefined) throw new KeyError('INVALID_KEY_REQUEST', 'only an lp key is bound to a fund');
    const keyId = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    await this.store.append(KEYS_STREAM, [
      versioned({
        type: 'ApiKeyIssued',
        data: { keyId, role, subject: who, ...(fundId === undefined ? {} : { fundId }), secretSha256: sha256(secret).toString('hex') },
        metadata: { actor: issuedBy, effectiveDate: today() },
      }),
    ]);
    return { keyId, role: role as Role, subject: who, ...(fundId === undefined ? {} : { fundId }), key: `fsk_${keyId}_${secret}` };
  }

  async revoke(keyId: string, reason: string, revokedBy: string): Promise<KeyRecord> {
    await this.catchUp();
    const key = this.keys.get(keyId);
    if (!key) throw new KeyError('UNKNOWN_KEY', `There is no key ${JSON.stringify(keyId)}`);
    if (key.revokedAt) throw new KeyError('KEY_ALREADY_REVOKED', `Key ${keyId} was revoked at ${key.revokedAt}`);
    await this.store.append(KEYS_STREAM, [
      versioned({ type: 'ApiKeyRevoked', data: { keyId, reason }, metadata: { actor: revokedBy, effectiveDate: today() } }),
    ]);
    await this.catchUp();
    return this.record(this.keys.get(keyId)!);
  }

  async list(): Promise<KeyRecord[]> {
    await this.catchUp();
    return [...this.keys.values()].map((k) => this.record(k));
  }

  async activeCount(): Promise<number> {
    return (await this.list()).filter((k) => !k.revokedAt).length;
  }

  /** The principal a presented key stands for; undefined for anything but a live key. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const match = TOKEN.exec(token);
    if (!match) return undefined;
    await this.catchUp();
    const key = this.keys.get(match[1]);
    if (!key || key.revokedAt || !timingSafeEqual(sha256(match[2]), key.secretSha256)) return undefined;
    return { keyId: key.keyId, role: key.role, subject: key.subject, ...(key.fundId === undefined ? {} : { fundId: key.fundId }) };
  }

  /** True while the key exists and is not revoked (as the log says now: a revocation by another process counts). */
  async isLive(keyId: string): Promise<boolean> {
    await this.catchUp();
    const key = this.keys.get(keyId);
    return key !== undefined && key.revokedAt === undefined;
  }

  private record({ secretSha256: _secret, ...record }: KeyState): KeyRecord {
    return record;
  }

  private async catchUp(): Promise<void> {
    const revision = await this.store.streamRevision(KEYS_STREAM);
    if (revision === undefined || revision === this.revision) return;
    try {
      for await (const event of this.store.readStream(KEYS_STREAM, { fromRevision: this.revision + 1 })) this.apply(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
  }

  private apply(event: StoredEvent): void {
    this.revision = event.revision;
    if (event.type === 'ApiKeyIssued') {
      const data = decodeStored<ApiKeyIssued>(event);
      this.keys.set(data.keyId, {
        keyId: data.keyId,
        role: data.role,
        subject: data.subject,
        ...(data.fundId === undefined ? {} : { fundId: data.fundId }),
        secretSha256: Buffer.from(data.secretSha256, 'hex'),
        issuedAt: event.metadata.recordedAt,
        issuedBy: event.metadata.actor,
      });
    } else if (event.type === 'ApiKeyRevoked') {
      const data = decodeStored<ApiKeyRevoked>(event);
      const key = this.keys.get(data.keyId);
      if (key) Object.assign(key, { revokedAt: event.metadata.recordedAt, revokedBy: event.metadata.actor, reason: data.reason });
    }
  }
}

const today = () => new Date().toISOString().slice(0, 10);

/**
 * An event as a reader who is not an admin sees it: a key's issuance without its secret's
 * SHA-256 (a hash of 256 random bits cannot be reversed, but it is the verifier of a live key,
 * and nobody but whoever manages keys needs it). Other events are returned as they are.
 */
export function withoutKeySecret(event: StoredEvent): StoredEvent {
  if (event.stream !== KEYS_STREAM || !('secretSha256' in event.data)) return event;
  const { secretSha256: _hidden, ...data } = event.data;
  return { ...event, data };
}

/**
 * Whoever runs a process that opens the store itself (the CLI, the API issuing the demo's keys):
 * the operating-system user. Access to the store file is full access.
 */
export function osPrincipal(): string {
  try {
    return `os:${userInfo().username}`;
  } catch {
    return 'os:unknown';
  }
}

import { EventEmitter } from 'node:events';
import type { Actor } from './context';

/**
 * What makes a cached verification stale: a removed key (by its hash), any change to a key's
 * facts (by its id: every secret of it, current and previous), a deleted space, or a changed
 * subscription. Published after the change is committed; the verification cache listens,
 * and forwards it to other nodes when Redis is configured.
 */
export type KeyInvalidation =
  | { kind: 'key'; keyHash: string }
  | { kind: 'apiKey'; keyId: string }
  | { kind: 'space'; spaceId: string }
  | { kind: 'organization'; organizationId: string };

export class KeyEvents {
  private readonly emitter = new EventEmitter();

  invalidate(event: KeyInvalidation): void {
    this.emitter.emit('invalidate', event);
  }

  onInvalidate(listener: (event: KeyInvalidation) => void): () => void {
    this.emitter.on('invalidate', listener);
    return () => this.emitter.off('invalidate', listener);
  }
}

/** A key as events describe it: never its secret; its hash only for the caches that need it. */
export interface KeyRef {
  id: string;
  keyHash: string;
  maskedKey: string;
  name: string;
  spaceId: string;
  organizationId: string;
}

/** Fields a change touched, as they were and as they became. Never a secret or a hash. */
export type FieldValues = Record<string, string | number | boolean | null | string[]>;

/** Something that happened to the domain, raised inside the transaction that made it happen. */
export type DomainEvent =
  | { type: 'apiKey.created'; key: KeyRef; after: FieldValues }
  | { type: 'apiKey.renamed'; key: KeyRef; before: { name: string }; after: { name: string } }
  | { type: 'apiKey.disabled'; key: KeyRef; before: FieldValues; after: FieldValues }
  | { type: 'apiKey.enabled'; key: KeyRef; before: FieldValues; after: FieldValues }
  /** `key` as it was before the roll (its old hash and mask); `after.maskedKey` names the new secret. */
  | { type: 'apiKey.rolled'; key: KeyRef; before: FieldValues; after: FieldValues }
  | { type: 'apiKey.allowedCidrsChanged'; key: KeyRef; before: { allowedCidrs: string[] }; after: { allowedCidrs: string[] } }
  | { type: 'apiKey.allowedModelsChanged'; key: KeyRef; before: { allowedModels: string[] }; after: { allowedModels: string[] } }
  | { type: 'apiKey.budgetChanged'; key: KeyRef; before: FieldValues; after: FieldValues }
  | { type: 'apiKey.tokensPerMinuteChanged'; key: KeyRef; before: { tokensPerMinute: number | null }; after: { tokensPerMinute: number | null } }
  | { type: 'apiKey.removed'; key: KeyRef }
  /** The key's `expiresAt` passed (recorded by the expiry sweep, as the system, once per lifetime). */
  | { type: 'apiKey.expired'; key: KeyRef; before: FieldValues; after: FieldValues; expiresAt: string }
  /** Revoked by the leak response: a secret scanner found the key in public, at `url` (may be empty), in `source`. */
  | { type: 'apiKey.leakRevoked'; key: KeyRef; url: string; source: string }
  | { type: 'space.deleted'; spaceId: string; organizationId: string }
  | {
      type: 'organization.keyPolicyChanged';
      organizationId: string;
      before: { maxKeyLifetimeDays: number | null };
      after: { maxKeyLifetimeDays: number | null };
    }
  /** The organization's maximums for its keys (maxBudgetMicros, allowedModels, maxTokensPerMinute). */
  | { type: 'organization.keyLimitsChanged'; organizationId: string; before: FieldValues; after: FieldValues }
  | { type: 'subscription.changed'; organizationId: string };

export interface RaisedEvent {
  event: DomainEvent;
  actor: Actor;
  at: Date;
}

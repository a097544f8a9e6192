import type { KeyInvalidation } from '../../core/events';
import type { KeyFacts, KeyLookup } from './key-lookup';

/**
 * Cached facts carry their own freshness: one object per key rather than the facts in a wrapper (a
 * cache holds up to VERIFY_CACHE_MAX_ENTRIES of them for hours). Every field is copied by name, so
 * each entry is one flat object of one shape (spreading the facts into a literal made it three
 * times larger); a field added to KeyFacts does not compile here until it is copied.
 */
class Entry implements KeyFacts {
  readonly keyId: string;
  readonly spaceId: string;
  readonly organizationId: string;
  readonly removed: boolean;
  readonly spaceDeleted: boolean;
  readonly plan: KeyFacts['plan'];
  readonly status: KeyFacts['status'];
  readonly disabled: boolean;
  readonly expiresAt: number | null;
  readonly secretExpiresAt: number | null;
  readonly allowlist: KeyFacts['allowlist'];
  readonly models: KeyFacts['models'];
  readonly createdAt: number;
  readonly budget: KeyFacts['budget'];
  readonly organizationModels: KeyFacts['organizationModels'];
  readonly tokensPerMinute: number | null;

  constructor(
    facts: KeyFacts,
    readonly cachedUntil: number,
    /** The generation of the key's organization when the facts were read: a later change to it makes them stale. */
    readonly organizationGeneration: number,
  ) {
    this.keyId = facts.keyId;
    this.spaceId = facts.spaceId;
    this.organizationId = facts.organizationId;
    this.removed = facts.removed;
    this.spaceDeleted = facts.spaceDeleted;
    this.plan = facts.plan;
    this.status = facts.status;
    this.disabled = facts.disabled;
    this.expiresAt = facts.expiresAt;
    this.secretExpiresAt = facts.secretExpiresAt;
    this.allowlist = facts.allowlist;
    this.models = facts.models;
    this.createdAt = facts.createdAt;
    this.budget = facts.budget;
    this.organizationModels = facts.organizationModels;
    this.tokensPerMinute = facts.tokensPerMinute;
  }
}

export interface VerificationCacheOptions {
  /** How long facts are trusted without an invalidation; 0 turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  /** False while invalidations from other nodes may be missed: every look-up then reads the database. */
  isTrustworthy?: () => boolean;
  now?: () => number;
}

/**
 * Verification facts of known keys, by key hash, for a bounded time. Unknown keys are never
 * cached, so a key works the moment it is created. Every invalidation bumps a generation: a
 * look-up that started before it neither fills the cache nor is shared with later callers, so a
 * read racing a removal cannot put the old facts back.
 */
export class VerificationCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * The cached hashes of each key: a rolled key has two secrets, both dropped by its id. One hash
   * (nearly every key) is kept as the string itself: a Set per key cost about 150 bytes of the
   * roughly 700 an entry takes.
   */
  private readonly hashesOfKey = new Map<string, string | Set<string>>();
  private readonly inflight = new Map<string, { generation: number; promise: Promise<KeyFacts | undefined> }>();
  private generation = 0;
  /**
   * A number per organization, raised by an organization-wide invalidation (its plan, its limits for
   * keys): cached facts read under an older number are stale. O(1), however many keys it has.
   */
  private readonly organizationGenerations = new Map<string, number>();
  /** Look-ups answered from memory, and those that went to the database. */
  hits = 0;
  misses = 0;
  private readonly now: () => number;
  private readonly isTrustworthy: () => boolean;

  constructor(
    private readonly lookup: KeyLookup,
    private readonly options: VerificationCacheOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.isTrustworthy = options.isTrustworthy ?? (() => true);
  }

  get size(): number {
    return this.entries.size;
  }

  get(keyHash: string): Promise<KeyFacts | undefined> {
    if (this.options.ttlMs <= 0 || !this.isTrustworthy()) return this.lookup(keyHash);
    const entry = this.entries.get(keyHash);
    if (entry) {
      if (this.fresh(entry)) {
        this.hits++;
        return Promise.resolve(entry);
      }
      this.drop(keyHash);
    }
    const pending = this.inflight.get(keyHash);
    if (pending && pending.generation === this.generation) return pending.promise;

    this.misses++;
    const generation = this.generation;
    const promise = this.lookup(keyHash).then((facts) => {
      if (facts && generation === this.generation) this.store(keyHash, facts);
      return facts;
    });
    this.inflight.set(keyHash, { generation, promise });
    const forget = () => {
      if (this.inflight.get(keyHash)?.promise === promise) this.inflight.delete(keyHash);
    };
    promise.then(forget, forget);
    return promise;
  }

  /** Facts in memory and still fresh, without a look-up; nothing while the cache is off or untrusted. */
  peek(keyHash: string): KeyFacts | undefined {
    if (this.options.ttlMs <= 0 || !this.isTrustworthy()) return undefined;
    const entry = this.entries.get(keyHash);
    if (!entry || !this.fresh(entry)) return undefined;
    this.hits++;
    return entry;
  }

  /** Drops what the event makes stale; synchronous, so the next request reads the database. */
  invalidate(event: KeyInvalidation): void {
    this.generation++;
    this.inflight.clear();
    if (event.kind === 'key') {
      this.drop(event.keyHash);
      return;
    }
    if (event.kind === 'apiKey') {
      const hashes = this.hashesOfKey.get(event.keyId);
      for (const hash of typeof hashes === 'string' ? [hashes] : [...(hashes ?? [])]) this.drop(hash);
      return;
    }
    if (event.kind === 'organization') {
      // Bounded like the entries: past that many organizations, everything is read again.
      if (this.organizationGenerations.size >= this.options.maxEntries) this.clear();
      this.organizationGenerations.set(event.organizationId, this.organizationGeneration(event.organizationId) + 1);
      return;
    }
    for (const [hash, entry] of this.entries) {
      if (entry.spaceId === event.spaceId) this.drop(hash);
    }
  }

  private organizationGeneration(organizationId: string): number {
    return this.organizationGenerations.get(organizationId) ?? 0;
  }

  private fresh(entry: Entry): boolean {
    return entry.cachedUntil > this.now() && entry.organizationGeneration === this.organizationGeneration(entry.organizationId);
  }

  clear(): void {
    this.generation++;
    this.inflight.clear();
    this.entries.clear();
    this.hashesOfKey.clear();
    this.organizationGenerations.clear();
  }

  private drop(keyHash: string): void {
    const entry = this.entries.get(keyHash);
    if (!entry) return;
    this.entries.delete(keyHash);
    const keyId = entry.keyId;
    const hashes = this.hashesOfKey.get(keyId);
    if (hashes === keyHash) this.hashesOfKey.delete(keyId);
    else if (typeof hashes === 'object') {
      hashes.delete(keyHash);
      if (hashes.size === 1) this.hashesOfKey.set(keyId, hashes.values().next().value as string);
      else if (hashes.size === 0) this.hashesOfKey.delete(keyId);
    }
  }

  private store(keyHash: string, facts: KeyFacts): void {
    if (!this.entries.has(keyHash) && this.entries.size >= this.options.maxEntries) {
      // Oldest insertion first: a Map iterates in insertion order.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.drop(oldest.value);
    }
    this.drop(keyHash);
    this.entries.set(keyHash, new Entry(facts, this.now() + this.options.ttlMs, this.organizationGeneration(facts.organizationId)));
    const hashes = this.hashesOfKey.get(facts.keyId);
    if (hashes === undefined) this.hashesOfKey.set(facts.keyId, keyHash);
    else if (typeof hashes === 'string') {
      if (hashes !== keyHash) this.hashesOfKey.set(facts.keyId, new Set([hashes, keyHash]));
    } else hashes.add(keyHash);
  }
}

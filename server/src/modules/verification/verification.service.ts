import { isWellFormedApiKey, type VerificationCode } from '@pulze/shared';
import { addressBucket } from '../../lib/client-address';
import type { FailureLimiter } from '../../lib/failure-limiter';
import type { KeyRateLimiter } from '../../lib/rate-limit';
import type { TokenDecision, TokenLimiter } from '../../lib/token-limit';
import { keyAvailability } from '../access/policies';
import { hashApiKey } from '../api-key/api-key.model';
import { budgetWindow, windowName } from '../spend/budget.model';
import type { ReserveRequest, ReserveResult, SpendLedger } from '../spend/spend-ledger';
import type { UsageRecorder } from '../usage/usage.recorder';
import type { KeyFacts } from './key-lookup';
import type { ApiKeyVerification } from './verification.types';

/** What the gateway says about the call it is about to forward. */
export interface VerifiedCall {
  /**
   * The model the call asks for, checked against the key's model allowlist; null when the gateway
   * named none (refused by a key with a model allowlist). Absent for a use of this API itself.
   */
  model?: string | null;
  /** The gateway's estimate of the call's cost in micro-USD, reserved against the key's budget. */
  costEstimateMicros?: number | null;
  /** The gateway's estimate of the call's tokens, counted at once against the key's tokens per minute. */
  tokenEstimate?: number | null;
}

/** Counts the answers about known keys by code and model (the spend recorder). */
export interface VerificationOutcomes {
  recordVerification(keyId: string, code: VerificationCode, model: string | null | undefined): void;
}

/** A verification, plus what the HTTP route needs for Retry-After. */
export interface VerificationResult extends ApiKeyVerification {
  retryAfterSeconds?: number;
  /** The key's token window, for X-RateLimit-*-Tokens: a gateway's check of a key with a token limit. */
  tokenLimit?: TokenDecision;
}

/**
 * A refusal tells the caller its code only: the key's ids and plan are given for a valid key, never
 * to someone holding a removed, disabled or unpaid one.
 */
const answer = (code: VerificationCode, facts?: KeyFacts): VerificationResult => {
  const known = code === 'VALID' ? facts : undefined;
  return {
    valid: code === 'VALID',
    code,
    keyId: known?.keyId ?? null,
    spaceId: known?.spaceId ?? null,
    organizationId: known?.organizationId ?? null,
    plan: known?.plan ?? null,
    rateLimit: null,
    reservationId: null,
  };
};

/** An address with too many failed verifications: refused before any look-up. */
const tooManyFailures = (retryAfterSeconds: number): VerificationResult => ({ ...answer('RATE_LIMITED'), retryAfterSeconds });

/**
 * The verdict from the stored facts, the clock and the client's address, before rate limits.
 * Expiry and the end of a grace period are checked against `now` on every call, so a cached key
 * stops at the exact instant on every node; `clientIp` is checked against the key's allowlist, and
 * `model` against its model allowlist.
 */
export function evaluate(
  facts: KeyFacts | undefined,
  now: number = Date.now(),
  clientIp?: string | null,
  model?: string | null,
): VerificationResult {
  if (!facts) return answer('NOT_FOUND');
  if (facts.removed) return answer('REVOKED', facts);
  // A rolled key's previous secret, past its grace period.
  if (facts.secretExpiresAt !== null && now >= facts.secretExpiresAt) return answer('REVOKED', facts);
  if (facts.spaceDeleted) return answer('SPACE_NOT_FOUND', facts);
  if (facts.disabled) return answer('DISABLED', facts);
  if (facts.expiresAt !== null && now >= facts.expiresAt) return answer('EXPIRED', facts);
  if (facts.allowlist && !facts.allowlist.allows(clientIp)) return answer('IP_NOT_ALLOWED', facts);
  // A gateway's check (model null or a string) of a key limited to some models fails closed
  // without a model; undefined is a use of this API itself, which calls no model.
  if (model !== undefined && facts.models && !facts.models.allows(model)) return answer('MODEL_NOT_ALLOWED', facts);
  // The organization's list binds every key of it, on top of the key's own.
  if (model !== undefined && facts.organizationModels && !facts.organizationModels.allows(model)) return answer('MODEL_NOT_ALLOWED', facts);
  const availability = keyAvailability(facts.plan && facts.status ? { plan: facts.plan, status: facts.status } : undefined);
  return answer(availability === 'AVAILABLE' ? 'VALID' : availability, facts);
}

export interface FactsSource {
  get(keyHash: string): Promise<KeyFacts | undefined>;
  /** Facts already in memory, without a look-up. */
  peek(keyHash: string): KeyFacts | undefined;
}

/**
 * Answers whether a key may be used now: the gateway's hot path. Malformed keys are refused
 * before any look-up; facts come from the cache (or the database); keys that are otherwise valid
 * are rate limited by plan, and each one let through counts as one use.
 */
export class VerificationService {
  constructor(
    private readonly facts: FactsSource,
    private readonly limiter: KeyRateLimiter,
    private readonly usage: UsageRecorder,
    private readonly failures: FailureLimiter,
    private readonly spend?: SpendLedger,
    private readonly now: () => number = Date.now,
    private readonly outcomes?: VerificationOutcomes,
    private readonly tokens?: TokenLimiter,
  ) {}

  /** Answers a verification; an answer about a known key (valid or refused) is counted for its analytics. */
  async verify(key: string, clientAddress?: string, clientIp?: string | null, call: VerifiedCall = {}): Promise<VerificationResult> {
    const seen: { facts?: KeyFacts } = {};
    const result = await this.decide(key, clientAddress, clientIp, call, seen);
    if (seen.facts) this.outcomes?.recordVerification(seen.facts.keyId, result.code, call.model);
    return result;
  }

  /**
   * `clientAddress` is the caller's address: malformed and unknown keys count against it, and once it
   * reaches its limit it is answered from memory only (keys whose facts are cached), the rest
   * RATE_LIMITED until its window ends, so a flood of made-up keys never reaches the database.
   * `clientIp` is the address the key is being used from, checked against the key's allowlist: the
   * gateway's client (from VERIFY_CLIENT_IP_HEADER, or `clientIp:` on verifyApiKey), or, for a key
   * used on this API itself, the caller. A key with an allowlist and no address is refused.
   * `call.model` is the model the request asks for (X-Pulze-Model, or `model:` on verifyApiKey).
   */
  private async decide(key: string, clientAddress: string | undefined, clientIp: string | null | undefined, call: VerifiedCall, seen: { facts?: KeyFacts }): Promise<VerificationResult> {
    // IPv4 addresses one by one, IPv6 by /64 network (what one subscriber usually holds).
    const client = clientAddress === undefined ? undefined : addressBucket(clientAddress);
    const blockedFor = client === undefined ? 0 : this.failures.blockedFor(client);
    if (!isWellFormedApiKey(key)) {
      if (client !== undefined) this.failures.fail(client);
      return blockedFor ? tooManyFailures(blockedFor) : answer('MALFORMED');
    }
    const keyHash = hashApiKey(key);
    let facts = this.facts.peek(keyHash);
    if (!facts) {
      if (blockedFor) return tooManyFailures(blockedFor);
      facts = await this.facts.get(keyHash);
      // Counted once the answer is known, so keys that exist never use the budget; requests of one
      // address already in flight when it reaches its limit still finish their look-up.
      if (!facts && client !== undefined) this.failures.fail(client);
    }
    seen.facts = facts;
    const verdict = evaluate(facts, Date.now(), clientIp, call.model);
    if (!verdict.valid || !facts?.plan) return verdict;

    // A gateway's call (model named or not) with an estimate, or of a key with a budget, reserves
    // against the key's current window; a use of this API itself calls nothing and reserves nothing.
    // The rate limit answers first. With both on Redis, the reservation is made in the rate limit's
    // script call, only if the rate limit lets the check through: one round trip for both, and a
    // check it refuses reserves nothing. Otherwise the reservation is sent beside the rate limit's
    // check, and a check the rate limit refuses releases it before it is answered.
    const request = this.spend && call.model !== undefined && (facts.budget || (call.costEstimateMicros ?? null) !== null) ? this.reserveRequest(facts, call) : undefined;
    const ridden = request && this.spend?.reserveWithRateLimit?.(request);
    const reservation: Promise<ReserveResult | null> | undefined = ridden ? ridden.reservation : request && this.spend?.reserve(request);
    // Awaited on every path below; this keeps a failure that arrives first from being reported as unhandled.
    reservation?.catch(() => undefined);
    const rate = await this.limiter.consume(facts.keyId, facts.plan, ridden?.work);
    const rateLimit = { limit: rate.limit, remaining: rate.remaining, resetAt: rate.resetAt };
    if (!rate.allowed) {
      if (reservation && this.spend) await releaseQuietly(this.spend, reservation, facts.keyId);
      return { ...answer('RATE_LIMITED', facts), rateLimit, retryAfterSeconds: rate.retryAfterSeconds };
    }
    let reservationId: string | null = null;
    if (reservation) {
      const reserved = await reservation;
      // Null only for a check the rate limit refused, which was answered above.
      if (reserved === null) throw new Error('no reservation for a check the rate limit let through');
      if (!reserved.ok) return { ...answer('BUDGET_EXCEEDED', facts), rateLimit };
      reservationId = reserved.reservationId;
    }
    // A gateway's call of a key with a token limit (its own or its organization's) checks the key's
    // token window, counting the estimate under the reservation (its report replaces it); keys
    // without one make no round trip for it. A refused call's reservation is released at once.
    let tokenLimit: TokenDecision | undefined;
    if (this.tokens && call.model !== undefined && facts.tokensPerMinute !== null) {
      tokenLimit = await this.tokens.check(facts.keyId, facts.tokensPerMinute, call.tokenEstimate ?? 0, reservationId);
      if (!tokenLimit.allowed) {
        if (reservationId) await this.spend?.settle(reservationId, 0, facts.keyId);
        return { ...answer('RATE_LIMITED', facts), rateLimit, retryAfterSeconds: tokenLimit.resetSeconds, tokenLimit };
      }
    }
    this.usage.record(facts.keyId);
    return { ...verdict, rateLimit, reservationId, tokenLimit };
  }

  /**
   * Each cached key's current budget window and its name, kept until the window ends: computing a
   * calendar month's window takes date arithmetic, and a key's checks fall in one window for days.
   * Held weakly, so it goes with the cached facts.
   */
  private readonly windows = new WeakMap<KeyFacts, { startsAt: number; endsAt: number | null; name: string }>();

  /** The call's estimate against the key's current budget window. */
  private reserveRequest(facts: KeyFacts, call: VerifiedCall): ReserveRequest {
    const now = this.now();
    let window = this.windows.get(facts);
    if (!window || now < window.startsAt || (window.endsAt !== null && now >= window.endsAt)) {
      const period = facts.budget?.period ?? 'TOTAL';
      const current = budgetWindow(facts.createdAt, period, now);
      window = { ...current, name: windowName(facts.keyId, period, current.startsAt) };
      this.windows.set(facts, window);
    }
    return {
      window: window.name,
      limitMicros: facts.budget?.limitMicros ?? null,
      amountMicros: call.costEstimateMicros ?? 0,
      windowEndsAt: window.endsAt,
    };
  }
}

/**
 * Releases the reservation of a check that is refused anyway: a reservation that failed, was
 * refused or was not made (null) holds nothing, and a failure to release leaves it to expire (the
 * refusal stands).
 */
async function releaseQuietly(spend: SpendLedger, reservation: Promise<ReserveResult | null>, keyId: string): Promise<void> {
  try {
    const reserved = await reservation;
    if (reserved?.ok) await spend.settle(reserved.reservationId, 0, keyId);
  } catch {
    // Nothing to release, or it expires on its own.
  }
}

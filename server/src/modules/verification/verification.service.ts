import { isWellFormedApiKey, type VerificationCode } from '@pulze/shared';
import type { KeyRateLimiter } from '../../lib/rate-limit';
import { keyAvailability } from '../access/policies';
import { hashApiKey } from '../api-key/api-key.model';
import type { UsageRecorder } from '../usage/usage.recorder';
import type { KeyFacts } from './key-lookup';
import type { ApiKeyVerification } from './verification.types';

/** A verification, plus what the HTTP route needs for Retry-After. */
export interface VerificationResult extends ApiKeyVerification {
  retryAfterSeconds?: number;
}

const answer = (code: VerificationCode, facts?: KeyFacts): VerificationResult => ({
  valid: code === 'VALID',
  code,
  keyId: facts?.keyId ?? null,
  spaceId: facts?.spaceId ?? null,
  organizationId: facts?.organizationId ?? null,
  plan: facts?.plan ?? null,
  rateLimit: null,
});

/** The verdict from the stored facts alone, before rate limits. */
export function evaluate(facts: KeyFacts | undefined): VerificationResult {
  if (!facts) return answer('NOT_FOUND');
  if (facts.removed) return answer('REVOKED', facts);
  if (facts.spaceDeleted) return answer('SPACE_NOT_FOUND', facts);
  const availability = keyAvailability(facts.plan && facts.status ? { plan: facts.plan, status: facts.status } : undefined);
  return answer(availability === 'AVAILABLE' ? 'VALID' : availability, facts);
}

export interface FactsSource {
  get(keyHash: string): Promise<KeyFacts | undefined>;
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
  ) {}

  async verify(key: string): Promise<VerificationResult> {
    if (!isWellFormedApiKey(key)) return answer('MALFORMED');
    const facts = await this.facts.get(hashApiKey(key));
    const verdict = evaluate(facts);
    if (!verdict.valid || !facts?.plan) return verdict;

    const rate = await this.limiter.consume(facts.keyId, facts.plan);
    const rateLimit = { limit: rate.limit, remaining: rate.remaining, resetAt: rate.resetAt };
    if (!rate.allowed) {
      return { ...answer('RATE_LIMITED', facts), rateLimit, retryAfterSeconds: rate.retryAfterSeconds };
    }
    this.usage.record(facts.keyId);
    return { ...verdict, rateLimit };
  }
}

import fc from 'fast-check';
import type { VerificationResult } from '../modules/verification/verification.service';
import { answerBody } from './verify';

const asObject = (r: VerificationResult) =>
  JSON.stringify({
    valid: r.valid,
    code: r.code,
    keyId: r.keyId,
    spaceId: r.spaceId,
    organizationId: r.organizationId,
    plan: r.plan,
    rateLimit: r.rateLimit,
    ...(r.reservationId ? { reservationId: r.reservationId } : {}),
  });

describe('answerBody', () => {
  it('writes exactly what JSON.stringify writes for the answer', () => {
    const text = fc.option(fc.string({ maxLength: 40 }), { nil: null });
    const result = fc.record({
      valid: fc.boolean(),
      code: fc.constantFrom('VALID', 'REVOKED', 'RATE_LIMITED', 'BUDGET_EXCEEDED'),
      keyId: text,
      spaceId: text,
      organizationId: text,
      plan: fc.option(fc.constantFrom('FREE', 'PULZE_X_SUITE'), { nil: null }),
      rateLimit: fc.option(
        fc.record({
          limit: fc.nat(),
          remaining: fc.nat(),
          resetAt: fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms)),
        }),
        { nil: null },
      ),
      reservationId: text,
    });
    fc.assert(
      fc.property(result, (r) => {
        const answer = r as unknown as VerificationResult;
        expect(answerBody(answer)).toBe(asObject(answer));
      }),
    );
  });

  it('escapes what a string could carry', () => {
    const answer = { valid: false, code: 'NOT_FOUND', keyId: '"}\n\\', spaceId: null, organizationId: null, plan: null, rateLimit: null, reservationId: null } as unknown as VerificationResult;
    expect(JSON.parse(answerBody(answer))).toEqual({ valid: false, code: 'NOT_FOUND', keyId: '"}\n\\', spaceId: null, organizationId: null, plan: null, rateLimit: null });
  });
});

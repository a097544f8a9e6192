import { ModelAllowlist } from '../spend/model-allowlist';
import { keyFacts } from '../../../test/helpers/key-facts';
import { AddressAllowlist } from '../api-key/allowed-cidrs';
import { evaluate } from './verification.service';

const facts = keyFacts;

const T = Date.parse('2030-01-01T00:00:00.000Z');

describe('evaluate', () => {
  it('answers EXPIRED from the instant of expiresAt, against the clock it is given', () => {
    const key = facts({ expiresAt: T });
    expect(evaluate(key, T - 1).code).toBe('VALID');
    expect(evaluate(key, T).code).toBe('EXPIRED');
    expect(evaluate(key, T + 86_400_000).code).toBe('EXPIRED');
  });

  it('answers REVOKED for a previous secret from the end of its grace period, VALID before', () => {
    const previous = facts({ secretExpiresAt: T });
    expect(evaluate(previous, T - 1).code).toBe('VALID');
    expect(evaluate(previous, T).code).toBe('REVOKED');
  });

  it('answers DISABLED for a paused key, before its expiry or allowlist is considered', () => {
    expect(evaluate(facts({ disabled: true }), T).code).toBe('DISABLED');
    expect(evaluate(facts({ disabled: true, expiresAt: T - 1 }), T).code).toBe('DISABLED');
  });

  it('checks the allowlist: inside is VALID, outside or absent IP_NOT_ALLOWED, an empty list allows any', () => {
    const allowlist = AddressAllowlist.from(['10.0.0.0/8', '2001:db8::/32']);
    const key = facts({ allowlist });
    expect(evaluate(key, T, '10.1.2.3').code).toBe('VALID');
    expect(evaluate(key, T, '::ffff:10.1.2.3').code).toBe('VALID');
    expect(evaluate(key, T, '2001:db8:1::7').code).toBe('VALID');
    expect(evaluate(key, T, '11.0.0.1').code).toBe('IP_NOT_ALLOWED');
    expect(evaluate(key, T, '2001:db9::1').code).toBe('IP_NOT_ALLOWED');
    expect(evaluate(key, T, undefined).code).toBe('IP_NOT_ALLOWED');
    expect(evaluate(key, T, 'not an address').code).toBe('IP_NOT_ALLOWED');
    expect(evaluate(facts(), T, undefined).code).toBe('VALID');
  });

  it("requires a model to pass both the key's list and its organization's", () => {
    const both = keyFacts({ models: ModelAllowlist.from(['openai/*']), organizationModels: ModelAllowlist.from(['openai/gpt-4o', 'anthropic/*']) });
    expect(evaluate(both, 0, null, 'openai/gpt-4o').code).toBe('VALID');
    expect(evaluate(both, 0, null, 'openai/gpt-4-turbo').code).toBe('MODEL_NOT_ALLOWED');
    expect(evaluate(both, 0, null, 'anthropic/claude-3').code).toBe('MODEL_NOT_ALLOWED');
    const organizationOnly = keyFacts({ organizationModels: ModelAllowlist.from(['anthropic/*']) });
    expect(evaluate(organizationOnly, 0, null, 'anthropic/claude-3').code).toBe('VALID');
    expect(evaluate(organizationOnly, 0, null, null).code).toBe('MODEL_NOT_ALLOWED');
    // A use of this API itself calls no model.
    expect(evaluate(organizationOnly, 0, null, undefined).code).toBe('VALID');
  });

  it('tells a refusal its code only', () => {
    const refused = evaluate(facts({ disabled: true }), T);
    expect(refused).toMatchObject({ valid: false, keyId: null, spaceId: null, organizationId: null, plan: null });
  });
});

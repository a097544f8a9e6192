import { effectiveBudget } from './budget.model';
import { checkBudgetWithin, checkModelsWithin, checkTokensWithin, entryWithin } from './key-limits.model';

const limits = { maxBudgetMicros: 1000, allowedModels: ['openai/*', 'anthropic/claude-3'], maxTokensPerMinute: 500 };

describe('organization key limits', () => {
  it('take a key allowlist entry only when every model it allows is allowed', () => {
    expect(entryWithin('openai/gpt-4o', limits.allowedModels)).toBe(true);
    expect(entryWithin('openai/o1*', limits.allowedModels)).toBe(true);
    expect(entryWithin('openai/*', limits.allowedModels)).toBe(true);
    expect(entryWithin('anthropic/claude-3', limits.allowedModels)).toBe(true);
    // A prefix is wider than an exact id; another provider is outside.
    expect(entryWithin('anthropic/claude-3*', limits.allowedModels)).toBe(false);
    expect(entryWithin('anthropic/*', limits.allowedModels)).toBe(false);
    expect(entryWithin('openai*', limits.allowedModels)).toBe(false);
    expect(entryWithin('mistral/large', limits.allowedModels)).toBe(false);
    // No list: anything.
    expect(entryWithin('*', [])).toBe(true);
    expect(checkModelsWithin(['openai/gpt-4o', 'mistral/large'], limits)).toEqual({ reason: expect.stringContaining('allowedModels[1]'), field: 'allowedModels' });
  });

  it('refuse a budget or token limit above the maximum, or none under one', () => {
    expect(checkBudgetWithin(1000, limits)).toBeUndefined();
    expect(checkBudgetWithin(1001, limits)?.field).toBe('limitMicros');
    expect(checkBudgetWithin(null, limits)?.field).toBe('budget');
    expect(checkBudgetWithin(null, { ...limits, maxBudgetMicros: null })).toBeUndefined();
    expect(checkTokensWithin(500, limits)).toBeUndefined();
    expect(checkTokensWithin(501, limits)?.field).toBe('tokensPerMinute');
    expect(checkTokensWithin(null, limits)?.field).toBe('tokensPerMinute');
    expect(checkTokensWithin(null, { ...limits, maxTokensPerMinute: null })).toBeUndefined();
  });

  it('hold a key to the tighter budget at verification', () => {
    const own = { limitMicros: 2000, period: 'DAILY' as const, warnAtPercent: 90 };
    expect(effectiveBudget(own, null)).toBe(own);
    expect(effectiveBudget(own, 1000)).toEqual({ ...own, limitMicros: 1000 });
    expect(effectiveBudget({ ...own, limitMicros: 10 }, 1000)).toEqual({ ...own, limitMicros: 10 });
    expect(effectiveBudget(null, 1000)).toEqual({ limitMicros: 1000, period: 'MONTHLY', warnAtPercent: 80 });
    expect(effectiveBudget(null, null)).toBeNull();
  });
});

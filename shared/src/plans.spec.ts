import { keyAvailability } from './plans';

describe('keyAvailability', () => {
  it('gives keys to an active Pulze X Suite only', () => {
    expect(keyAvailability({ plan: 'PULZE_X_SUITE', status: 'ACTIVE' })).toBe('AVAILABLE');
    expect(keyAvailability({ plan: 'PULZE_X_SUITE', status: 'PAST_DUE' })).toBe('SUBSCRIPTION_INACTIVE');
    expect(keyAvailability({ plan: 'PULZE_ONE', status: 'ACTIVE' })).toBe('PLAN_UPGRADE_REQUIRED');
    expect(keyAvailability({ plan: 'FREE', status: 'ACTIVE' })).toBe('PLAN_UPGRADE_REQUIRED');
    expect(keyAvailability(undefined)).toBe('PLAN_UPGRADE_REQUIRED');
  });
});

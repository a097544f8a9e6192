import { API_KEYS_PLAN, type Plan } from '@pulze/shared';

/** How each plan is named to people. */
export const PLAN_LABELS: Record<Plan, string> = { FREE: 'Free', PULZE_ONE: 'Pulze One', PULZE_X_SUITE: 'Pulze X Suite' };

export function planLabel(plan: string): string {
  return PLAN_LABELS[plan as Plan] ?? plan;
}

/** The name of the plan that includes API keys ("Pulze X Suite"). */
export const API_KEYS_PLAN_LABEL = planLabel(API_KEYS_PLAN);

export type KeyAvailability = 'AVAILABLE' | 'PLAN_UPGRADE_REQUIRED' | 'SUBSCRIPTION_INACTIVE';

/**
 * Whether an organization's keys work, by the rule the server applies: only the API keys plan
 * (@pulze/shared `API_KEYS_PLAN`) has keys, and only while its subscription is active.
 */
export function keyAvailability(subscription: { plan: string; status: string }): KeyAvailability {
  if (subscription.plan !== API_KEYS_PLAN) return 'PLAN_UPGRADE_REQUIRED';
  if (subscription.status !== 'ACTIVE') return 'SUBSCRIPTION_INACTIVE';
  return 'AVAILABLE';
}

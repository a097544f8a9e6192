import { API_KEYS_PLAN, type Plan } from '@pulze/shared';

/** How each plan is named to people. */
export const PLAN_LABELS: Record<Plan, string> = { FREE: 'Free', PULZE_ONE: 'Pulze One', PULZE_X_SUITE: 'Pulze X Suite' };

export function planLabel(plan: string): string {
  return PLAN_LABELS[plan as Plan] ?? plan;
}

/** The name of the plan that includes API keys ("Pulze X Suite"). */
export const API_KEYS_PLAN_LABEL = planLabel(API_KEYS_PLAN);

export { keyAvailability, type KeyAvailability } from '@pulze/shared';

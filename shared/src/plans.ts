import { API_KEYS_PLAN } from './enums';

export type KeyAvailability = 'AVAILABLE' | 'PLAN_UPGRADE_REQUIRED' | 'SUBSCRIPTION_INACTIVE';

/**
 * Whether an organization's subscription lets its keys be created and used: only the API keys
 * plan has keys, and only while its subscription is active. The server and the web app both ask here.
 */
export function keyAvailability(subscription: { plan: string; status: string } | undefined): KeyAvailability {
  if (!subscription || subscription.plan !== API_KEYS_PLAN) return 'PLAN_UPGRADE_REQUIRED';
  return subscription.status === 'ACTIVE' ? 'AVAILABLE' : 'SUBSCRIPTION_INACTIVE';
}

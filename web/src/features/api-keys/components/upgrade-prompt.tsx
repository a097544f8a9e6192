import { links } from '../../../lib/config';
import { API_KEYS_PLAN_LABEL } from '../../../lib/plans';

const BENEFITS = [
  'Unlimited API keys, each scoped to one space',
  'Advanced rate limits per key',
  'Usage analytics for every key: last use, requests per day',
  'Role-based control over who creates and removes keys',
  'Instant revocation across every node',
];

/** Replaces the keys section for organizations on a plan without API keys. */
export function UpgradePrompt({ planName, organizationName }: { planName: string; organizationName: string }) {
  return (
    <section className="upgrade" aria-labelledby="upgrade-title">
      <h2 id="upgrade-title">Exclusive Feature: API Keys require {API_KEYS_PLAN_LABEL}</h2>
      <p>
        {organizationName} is on the <strong>{planName}</strong> plan. Upgrade to {API_KEYS_PLAN_LABEL} to give your applications
        programmatic access to the Pulze API.
      </p>
      <ul className="benefits">
        {BENEFITS.map((benefit) => (
          <li key={benefit}>
            <span aria-hidden="true" className="check">
              ✓
            </span>
            {benefit}
          </li>
        ))}
      </ul>
      <a className="btn btn-primary btn-large" href={links.upgrade} target="_blank" rel="noreferrer">
        Upgrade to {API_KEYS_PLAN_LABEL}
      </a>
    </section>
  );
}

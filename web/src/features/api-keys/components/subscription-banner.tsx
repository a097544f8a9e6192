import { links } from '../../../lib/config';
import { formatDate } from '../../../lib/format';
import { API_KEYS_PLAN_LABEL } from '../../../lib/plans';

const STATUS_LABELS: Record<string, string> = { PAST_DUE: 'past due', CANCELED: 'canceled' };

/** Shown for organizations on the API keys plan whose subscription is not active: their keys do not work. */
export function SubscriptionBanner({ status, currentPeriodEnd }: { status: string; currentPeriodEnd: string | null }) {
  return (
    <div className="banner banner-warning" role="status">
      <div>
        <strong>Your {API_KEYS_PLAN_LABEL} subscription is inactive ({STATUS_LABELS[status] ?? status.toLowerCase()}).</strong>{' '}
        API keys do not work until it is renewed: every request made with them is refused, and new keys cannot be created.
        {currentPeriodEnd ? ` The last period ended ${formatDate(currentPeriodEnd)}.` : null}
      </div>
      <a className="btn btn-secondary" href={links.upgrade} target="_blank" rel="noreferrer">
        Renew subscription
      </a>
    </div>
  );
}

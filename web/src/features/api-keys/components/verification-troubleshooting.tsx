import type { VerificationCode } from '@pulze/shared';
import './lifecycle.css';

type Refusal = Exclude<VerificationCode, 'VALID'>;

interface CodeHelp {
  status: number;
  meaning: string;
  fix: string;
}

/**
 * What each refusal of `GET /v1/keys/verify` means and what to do about it. Keyed by the codes of
 * @pulze/shared, so a new code fails the build until it is explained here.
 */
export const VERIFICATION_HELP: Record<Refusal, CodeHelp> = {
  MALFORMED: {
    status: 401,
    meaning: 'No key was sent, or it is not a Pulze key (wrong shape or checksum).',
    fix: 'Send the whole key as Authorization: Bearer pk_…, without quotes or extra spaces.',
  },
  NOT_FOUND: {
    status: 401,
    meaning: 'No key matches what was sent.',
    fix: 'Check that the application uses the key you saved when it was created or last rolled.',
  },
  REVOKED: {
    status: 401,
    meaning: 'The key was removed, revoked after being found in public, or this is an old secret whose grace period after a roll has ended.',
    fix: 'Use the newest secret of the key, or create a new key.',
  },
  SPACE_NOT_FOUND: {
    status: 401,
    meaning: 'The space the key belongs to was deleted.',
    fix: 'Create a key in another space.',
  },
  PLAN_UPGRADE_REQUIRED: {
    status: 403,
    meaning: 'The organization is not on the plan that includes API keys.',
    fix: 'Upgrade the organization’s plan.',
  },
  SUBSCRIPTION_INACTIVE: {
    status: 403,
    meaning: 'The organization’s subscription is past due or canceled.',
    fix: 'Renew the subscription; the key works again at once.',
  },
  EXPIRED: {
    status: 401,
    meaning: 'The key is past its expiry date.',
    fix: 'Roll the key to give it a new secret with a fresh lifetime, or create a new key.',
  },
  DISABLED: {
    status: 401,
    meaning: 'The key has been disabled (paused).',
    fix: 'Whoever may remove the key can enable it again in its details; the secret stays the same.',
  },
  IP_NOT_ALLOWED: {
    status: 403,
    meaning: 'The request came from an address outside the key’s allowed addresses.',
    fix: 'Add the address the gateway sees (or its range) to the key’s allowed addresses, or send the request from an allowed one.',
  },
  MODEL_NOT_ALLOWED: {
    status: 403,
    meaning: 'The request asked for a model outside the key’s allowed models.',
    fix: 'Use one of the key’s allowed models, or have whoever may remove the key add the model (or a prefix such as openai/*).',
  },
  BUDGET_EXCEEDED: {
    status: 402,
    meaning: 'The call’s estimated cost would take the key past its budget for the current window.',
    fix: 'Wait for the next budget window, or have whoever may remove the key raise its budget.',
  },
  RATE_LIMITED: {
    status: 429,
    meaning: 'The key sent more requests than its limit allows.',
    fix: 'Wait the seconds given in Retry-After, then retry.',
  },
};

/** The refusal codes and what to do, in the key's "How to use this key" section. */
export function VerificationTroubleshooting({ current }: { current?: Refusal | null }) {
  const codes = Object.keys(VERIFICATION_HELP) as Refusal[];
  return (
    <details className="troubleshooting" open={current ? true : undefined}>
      <summary>Troubleshooting: when a request is refused</summary>
      <p className="muted small">
        The gateway answers with one of these codes (in the JSON body and the <code>X-Pulze-Code</code> header).
      </p>
      <table className="troubleshooting-table">
        <caption className="sr-only">Verification codes</caption>
        <thead>
          <tr>
            <th scope="col">Code</th>
            <th scope="col">HTTP</th>
            <th scope="col">What it means and what to do</th>
          </tr>
        </thead>
        <tbody>
          {codes.map((code) => {
            const help = VERIFICATION_HELP[code];
            return (
              <tr key={code} className={code === current ? 'is-current' : undefined} aria-current={code === current ? 'true' : undefined}>
                <th scope="row">
                  <code>{code}</code>
                </th>
                <td>{help.status}</td>
                <td>
                  {code === current ? <strong className="troubleshooting-now">This key answers this now. </strong> : null}
                  {help.meaning} {help.fix}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </details>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { DialogActions, FormError, useDialogAction } from '../../../components/ui/confirm-dialog';
import { CopyButton } from '../../../components/ui/copy-button';
import { Dialog } from '../../../components/ui/dialog';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime, formatRelative } from '../../../lib/format';
import { useRollApiKey } from '../api/roll-api-key';
import './lifecycle.css';

export const GRACE_PERIODS = [
  { seconds: 0, label: 'Immediately' },
  { seconds: 3600, label: 'In 1 hour' },
  { seconds: 86_400, label: 'In 24 hours' },
  { seconds: 604_800, label: 'In 7 days' },
] as const;

const DEFAULT_GRACE = 3600;

interface RollApiKeyDialogProps {
  apiKey: { id: string; name: string } | null;
  onClose: () => void;
}

interface Rolled {
  secret: string;
  maskedKey: string;
  oldSecretExpiresAt: string | null;
}

/**
 * Rolls a key: a new secret for the same key (id, name, space, usage stay), shown once like at
 * creation; the old secret keeps working for the chosen grace period. The secret lives only in
 * this component's state and is dropped when the dialog closes.
 */
export function RollApiKeyDialog({ apiKey, onClose }: RollApiKeyDialogProps) {
  const secretId = useId();
  const [grace, setGrace] = useState<number>(DEFAULT_GRACE);
  const action = useDialogAction((err) => errorMessage(err, 'rollKey'));
  const [rolled, setRolled] = useState<Rolled | null>(null);
  const [name, setName] = useState('');
  const { rollApiKey, loading } = useRollApiKey();

  function close() {
    setGrace(DEFAULT_GRACE);
    action.reset();
    setRolled(null);
    onClose();
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!apiKey || loading) return;
    await action.run(async () => {
      const payload = await rollApiKey({ id: apiKey.id, gracePeriodSeconds: grace });
      setName(apiKey.name);
      setRolled({ secret: payload.secret, maskedKey: payload.apiKey.maskedKey, oldSecretExpiresAt: payload.apiKey.previousSecretExpiresAt ?? null });
    });
  }

  // The server sends the old secret's end only while it still works (null for "immediately").
  const oldEnds = rolled?.oldSecretExpiresAt;

  return (
    <Dialog
      open={apiKey !== null}
      onOpenChange={(open) => (open ? undefined : close())}
      title={rolled ? 'Save your new API key' : `Roll API key “${apiKey?.name ?? ''}”`}
      description={rolled ? undefined : 'A new secret replaces the current one. The key keeps its name, space, settings and usage history.'}
      modalLock={Boolean(rolled)}
    >
      {rolled ? (
        <div className="secret-step">
          <div className="banner banner-warning banner-block" role="alert">
            <strong>Copy this key now. You won't see it again.</strong> Update every application that uses “{name}”.
          </div>
          <div className="field">
            <label htmlFor={secretId}>New secret of “{name}”</label>
            <div className="secret-row">
              <input id={secretId} className="secret-input mono" readOnly value={rolled.secret} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={rolled.secret} label="Copy key" copiedMessage="API key copied to clipboard" className="btn btn-primary" />
            </div>
          </div>
          <p className="old-secret-notice">
            {oldEnds ? (
              <>
                The old secret keeps working until <time dateTime={oldEnds}>{formatDateTime(oldEnds)}</time> ({formatRelative(oldEnds)}).
              </>
            ) : (
              'The old secret no longer works.'
            )}
          </p>
          <p className="muted">
            In the list it now appears as <code>{rolled.maskedKey}</code>.
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" onClick={close}>
              Done, I saved my key
            </button>
          </div>
        </div>
      ) : (
        <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
          <fieldset className="grace-options">
            <legend>The old secret stops working</legend>
            {GRACE_PERIODS.map((option) => (
              <label key={option.seconds} className="radio-row">
                <input type="radio" name="grace" value={option.seconds} checked={grace === option.seconds} onChange={() => setGrace(option.seconds)} />
                {option.label}
              </label>
            ))}
          </fieldset>
          <p className="muted small">
            {grace === 0
              ? 'Applications that still use the old secret are refused at once (REVOKED). Choose this when the key has leaked.'
              : 'Both secrets work during the grace period, so you can update your applications without downtime.'}
          </p>
          <FormError error={action.error} />
          <DialogActions label="Roll key" pendingLabel="Rolling…" pending={loading} onCancel={close} />
        </form>
      )}
    </Dialog>
  );
}

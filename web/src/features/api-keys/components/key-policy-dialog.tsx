import { useId, useState, type FormEvent } from 'react';
import { LIMITS } from '@pulze/shared';
import { DialogActions, FormError, useDialogAction } from '../../../components/ui/confirm-dialog';
import { Dialog } from '../../../components/ui/dialog';
import { useToast } from '../../../components/ui/toast';
import { errorMessage } from '../../../lib/errors';
import { useSetMaxKeyLifetime } from '../api/set-max-key-lifetime';
import './lifecycle.css';

interface KeyPolicyProps {
  organization: { id: string; name: string; maxKeyLifetimeDays: number | null };
}

/**
 * "Key policy" (organization owners and admins): the longest lifetime of keys created or rolled
 * from now on, or no limit. Existing keys keep their expiry.
 */
export function KeyPolicyButton({ organization }: KeyPolicyProps) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn btn-secondary" onClick={() => setOpen(true)}>
        Key policy
      </button>
      {open ? <KeyPolicyDialog organization={organization} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function KeyPolicyDialog({ organization, onClose }: KeyPolicyProps & { onClose: () => void }) {
  const name = useId();
  const daysId = useId();
  const errorId = useId();
  const toast = useToast();
  const current = organization.maxKeyLifetimeDays;
  const [limited, setLimited] = useState(current !== null);
  const [days, setDays] = useState(String(current ?? 90));
  const action = useDialogAction((err) => errorMessage(err));
  const { error } = action;
  const { setMaxKeyLifetime, loading } = useSetMaxKeyLifetime();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    let value: number | null = null;
    if (limited) {
      value = Number(days);
      if (!/^\d+$/.test(days.trim()) || value < 1 || value > LIMITS.maxKeyLifetimeDaysMax) {
        action.setError(`Enter a whole number of days from 1 to ${LIMITS.maxKeyLifetimeDaysMax}.`);
        return;
      }
    }
    await action.run(async () => {
      await setMaxKeyLifetime(organization.id, value);
      toast({
        title: 'Key policy saved',
        description: value === null ? 'New keys may live without expiry.' : `New and rolled keys expire within ${value} ${value === 1 ? 'day' : 'days'}.`,
        variant: 'success',
      });
      onClose();
    });
  }

  return (
    <Dialog
      open
      onOpenChange={(next) => (next ? undefined : onClose())}
      title="Key policy"
      description={`The longest a key of ${organization.name} may live. It applies to keys created or rolled from now on; existing keys keep their expiry.`}
      size="sm"
    >
      <form className="form" noValidate onSubmit={(event) => void onSubmit(event)}>
        <fieldset className="grace-options">
          <legend>Maximum key lifetime</legend>
          <label className="radio-row">
            <input type="radio" name={name} checked={!limited} onChange={() => setLimited(false)} />
            No limit
          </label>
          <label className="radio-row">
            <input type="radio" name={name} checked={limited} onChange={() => setLimited(true)} />
            Limit the lifetime
          </label>
        </fieldset>
        {limited ? (
          <div className="field">
            <label htmlFor={daysId}>Days (1–{LIMITS.maxKeyLifetimeDaysMax})</label>
            <input
              id={daysId}
              type="number"
              inputMode="numeric"
              min={1}
              max={LIMITS.maxKeyLifetimeDaysMax}
              value={days}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => setDays(event.target.value)}
            />
          </div>
        ) : null}
        <FormError id={errorId} error={error} />
        <DialogActions label="Save policy" pendingLabel="Saving…" pending={loading} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

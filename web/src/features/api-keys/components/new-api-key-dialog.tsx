import { useId, useState, type FormEvent } from 'react';
import { checkName, LIMITS } from '@pulze/shared';
import { CopyButton } from '../../../components/ui/copy-button';
import { Dialog } from '../../../components/ui/dialog';
import { Select } from '../../../components/ui/select';
import { errorMessage } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import { useCreateApiKey } from '../api/create-api-key';
import { ExpiryField } from './expiry-field';
import { defaultExpiry, resolveExpiry, suggestedCustomDate, type ExpiryChoice } from './key-expiry';

interface SpaceOption {
  id: string;
  name: string;
}

interface NewApiKeyDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  spaces: SpaceOption[];
  defaultSpaceId?: string | undefined;
  /** The organization's longest key lifetime in days; null for no limit. */
  maxKeyLifetimeDays?: number | null;
  onCreated: (created: { id: string; name: string }) => void;
}

/**
 * Two steps: name + space, then the one-time display of the full key. The secret lives only in
 * this component's state and is dropped when the dialog closes.
 */
export function NewApiKeyDialog({ open, onOpenChange, spaces, defaultSpaceId, maxKeyLifetimeDays = null, onCreated }: NewApiKeyDialogProps) {
  const nameId = useId();
  const spaceLabelId = useId();
  const tipsId = useId();
  const [name, setName] = useState('');
  const [spaceId, setSpaceId] = useState<string | undefined>(undefined);
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<ExpiryChoice | null>(null);
  const [customDate, setCustomDate] = useState('');
  const [expiryError, setExpiryError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ secret: string; name: string; maskedKey: string; expiresAt: string | null } | null>(null);
  const { createApiKey, loading } = useCreateApiKey();

  const expiryChoice = expiry ?? defaultExpiry(maxKeyLifetimeDays);
  const selectedSpace = spaceId ?? (spaces.some((s) => s.id === defaultSpaceId) ? defaultSpaceId : spaces.length === 1 ? spaces[0]?.id : undefined);

  function reset() {
    setName('');
    setSpaceId(undefined);
    setExpiry(null);
    setCustomDate('');
    setExpiryError(null);
    setFieldError(null);
    setSubmitError(null);
    setCreated(null);
  }

  function handleOpenChange(next: boolean) {
    if (!next) reset();
    onOpenChange(next);
  }

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSubmitError(null);
    const check = checkName(name, LIMITS.keyNameMaxLength);
    if (!check.ok) {
      setFieldError(check.reason);
      return;
    }
    if (!selectedSpace) {
      setSubmitError('Choose the space the key belongs to.');
      return;
    }
    setFieldError(null);
    const expiresAt = resolveExpiry(expiryChoice, customDate, maxKeyLifetimeDays);
    if (!expiresAt.ok) {
      setExpiryError(expiresAt.reason);
      return;
    }
    setExpiryError(null);
    try {
      const payload = await createApiKey({ spaceId: selectedSpace, name: check.value, expiresAt: expiresAt.expiresAt });
      setCreated({ secret: payload.secret, name: payload.apiKey.name, maskedKey: payload.apiKey.maskedKey, expiresAt: payload.apiKey.expiresAt ?? null });
      onCreated({ id: payload.apiKey.id, name: payload.apiKey.name });
    } catch (error) {
      setSubmitError(errorMessage(error, 'createKey'));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={handleOpenChange}
      title={created ? 'Save your API key' : 'New API Key'}
      description={created ? undefined : 'Keys give programmatic access to the Pulze API for one space.'}
      modalLock={Boolean(created)}
    >
      {created ? (
        <div className="secret-step">
          <div className="banner banner-warning banner-block" role="alert">
            <strong>Copy this key now. You won't see it again.</strong> For your security we only store a fingerprint of it; if you lose
            it, remove it and create a new one.
          </div>
          <div className="field">
            <label htmlFor={`${nameId}-secret`}>Your new API key “{created.name}”</label>
            <div className="secret-row">
              <input id={`${nameId}-secret`} className="secret-input mono" readOnly value={created.secret} onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={created.secret} label="Copy key" copiedMessage="API key copied to clipboard" className="btn btn-primary" />
            </div>
          </div>
          <p className="muted">
            In the list it will appear only as <code>{created.maskedKey}</code>.{' '}
            {created.expiresAt ? (
              <>
                It expires on <time dateTime={created.expiresAt}>{formatDateTime(created.expiresAt)}</time>.
              </>
            ) : (
              'It does not expire.'
            )}
          </p>
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" onClick={() => handleOpenChange(false)}>
              Done, I saved my key
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={onSubmit} noValidate className="form">
          <div className="field">
            <label htmlFor={nameId}>Name</label>
            <input
              id={nameId}
              value={name}
              maxLength={LIMITS.keyNameMaxLength}
              placeholder="Mobile App - Production"
              aria-describedby={tipsId}
              aria-invalid={fieldError ? true : undefined}
              onChange={(event) => setName(event.target.value)}
              autoFocus
            />
            {fieldError ? (
              <p className="form-error" role="alert">
                {fieldError}
              </p>
            ) : null}
            <div id={tipsId} className="tips">
              <strong>Naming tips</strong>
              <ul>
                <li>Say what the key is for: the app or service that uses it.</li>
                <li>Add the environment: Production, Staging, Development.</li>
                <li>
                  For example: <em>Mobile App - Production</em> or <em>Nightly Evaluation - Staging</em>.
                </li>
              </ul>
            </div>
          </div>
          <div className="field">
            <span className="label" id={spaceLabelId}>
              Space
            </span>
            <Select
              ariaLabelledBy={spaceLabelId}
              value={selectedSpace}
              onValueChange={setSpaceId}
              placeholder="Choose a space"
              options={spaces.map((space) => ({ value: space.id, label: space.name }))}
            />
            <p className="muted small">Only spaces where you may create keys are listed.</p>
          </div>
          <ExpiryField
            choice={expiryChoice}
            onChoiceChange={(choice) => {
              setExpiry(choice);
              if (choice === 'custom' && !customDate) setCustomDate(suggestedCustomDate(maxKeyLifetimeDays));
              setExpiryError(null);
            }}
            customDate={customDate}
            onCustomDateChange={(date) => {
              setCustomDate(date);
              setExpiryError(null);
            }}
            maxDays={maxKeyLifetimeDays}
            error={expiryError}
          />
          {submitError ? (
            <p className="form-error" role="alert">
              {submitError}
            </p>
          ) : null}
          <div className="dialog-actions">
            <button type="button" className="btn btn-secondary" onClick={() => handleOpenChange(false)}>
              Cancel
            </button>
            <button type="submit" className="btn btn-primary" disabled={loading}>
              {loading ? 'Creating…' : 'Create key'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

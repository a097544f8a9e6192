import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { checkName, LIMITS } from '@pulze/shared';
import { useToast } from '../../../components/ui/toast';
import { errorMessage } from '../../../lib/errors';
import { useRenameApiKey } from '../api/rename-api-key';

interface RenameApiKeyFormProps {
  apiKey: { id: string; name: string };
  /** A search is on screen: its results may change with the new name, so the list is refetched. */
  searchActive: boolean;
  onDone: () => void;
}

/**
 * Inline form that replaces the panel title: Enter saves, Escape (handled by the panel, which
 * would otherwise close) and Cancel go back. The row and the panel update through the cache by id.
 */
export function RenameApiKeyForm({ apiKey, searchActive, onDone }: RenameApiKeyFormProps) {
  const inputId = useId();
  const errorId = useId();
  const toast = useToast();
  const [name, setName] = useState(apiKey.name);
  const [error, setError] = useState<string | null>(null);
  const { renameApiKey, loading } = useRenameApiKey({ searchActive });
  const inputRef = useRef<HTMLInputElement>(null);

  // Start with the current name selected, ready to be typed over.
  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (loading) return;
    const check = checkName(name, LIMITS.keyNameMaxLength);
    if (!check.ok) {
      setError(check.reason);
      return;
    }
    setError(null);
    if (check.value === apiKey.name) {
      onDone();
      return;
    }
    try {
      await renameApiKey({ id: apiKey.id, name: check.value });
      toast({ title: 'Key renamed', description: `It is now called “${check.value}”.`, variant: 'success' });
      onDone();
    } catch (err) {
      setError(errorMessage(err, 'renameKey'));
    }
  }

  return (
    <form className="rename-form" aria-label="Rename key" noValidate onSubmit={(event) => void onSubmit(event)}>
      <div className="field">
        <label htmlFor={inputId}>Key name</label>
        <input
          ref={inputRef}
          id={inputId}
          value={name}
          maxLength={LIMITS.keyNameMaxLength}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : undefined}
          onChange={(event) => setName(event.target.value)}
        />
        {error ? (
          <p id={errorId} className="form-error" role="alert">
            {error}
          </p>
        ) : null}
      </div>
      <div className="rename-actions">
        <button type="submit" className="btn btn-primary btn-small" disabled={loading}>
          {loading ? 'Saving…' : 'Save'}
        </button>
        <button type="button" className="btn btn-secondary btn-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

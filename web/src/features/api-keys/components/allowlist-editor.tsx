import { useId, useState, type FormEvent } from 'react';
import { useToast } from '../../../components/ui/toast';
import { errorMessage } from '../../../lib/errors';
import { useSetApiKeyAllowedCidrs } from '../api/set-allowed-cidrs';
import './lifecycle.css';

/** At most this many ranges per key (the server's limit). */
export const MAX_ALLOWED_CIDRS = 50;

interface AllowlistEditorProps {
  apiKey: { id: string; name: string; allowedCidrs: readonly string[] };
  /** Whoever may remove the key may edit its allowlist; everyone else reads it. */
  canEdit: boolean;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

/**
 * "Allowed addresses": IPv4 and IPv6 ranges (CIDR) the key may be used from; an empty list allows
 * any address. Changes are collected here and saved together; the server checks each range and
 * its message is shown as it comes.
 */
export function AllowlistEditor({ apiKey, canEdit }: AllowlistEditorProps) {
  const inputId = useId();
  const hintId = useId();
  const errorId = useId();
  const toast = useToast();
  const saved = apiKey.allowedCidrs;
  const [draft, setDraft] = useState<readonly string[] | null>(null);
  const [entry, setEntry] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { setAllowedCidrs, loading } = useSetApiKeyAllowedCidrs();
  const list = draft ?? saved;
  const dirty = draft !== null && !sameList(draft, saved);

  function add(event: FormEvent) {
    event.preventDefault();
    const value = entry.trim();
    if (!value) {
      setError('Enter an address or a range, such as 203.0.113.0/24 or 2001:db8::/32.');
      return;
    }
    if (/\s|,/.test(value)) {
      setError('Enter one address or range at a time.');
      return;
    }
    if (list.includes(value)) {
      setError(`${value} is already in the list.`);
      return;
    }
    if (list.length >= MAX_ALLOWED_CIDRS) {
      setError(`A key allows at most ${MAX_ALLOWED_CIDRS} ranges.`);
      return;
    }
    setError(null);
    setDraft([...list, value]);
    setEntry('');
  }

  async function save() {
    if (loading || draft === null) return;
    setError(null);
    try {
      const result = await setAllowedCidrs({ id: apiKey.id, allowedCidrs: [...draft] });
      setDraft(null);
      toast({
        title: 'Allowed addresses saved',
        description: result.allowedCidrs.length === 0 ? `“${apiKey.name}” works from any address.` : `“${apiKey.name}” works only from ${result.allowedCidrs.length} ${result.allowedCidrs.length === 1 ? 'range' : 'ranges'}.`,
        variant: 'success',
      });
    } catch (err) {
      // The server names an entry by its place in the list ("allowedCidrs[2] is not ..."): name it by its value.
      const entries = draft;
      setError(errorMessage(err, 'editAllowlist').replace(/^allowedCidrs\[(\d+)\]/, (whole, index: string) => {
        const value = entries[Number(index)];
        return value === undefined ? whole : `“${value}”`;
      }));
    }
  }

  return (
    <section aria-labelledby={`${inputId}-title`} className="sheet-section allowlist">
      <h3 id={`${inputId}-title`}>Allowed addresses</h3>
      <p className="muted small">
        {list.length === 0
          ? 'Any address may use this key.'
          : 'Only requests from these addresses are accepted; others are refused with IP_NOT_ALLOWED (403).'}
      </p>
      {list.length > 0 ? (
        <ul className="allowlist-entries" aria-label="Allowed address ranges">
          {list.map((cidr) => (
            <li key={cidr}>
              <code className="mono">{cidr}</code>
              {canEdit ? (
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  aria-label={`Remove ${cidr}`}
                  onClick={() => {
                    setError(null);
                    setDraft(list.filter((value) => value !== cidr));
                  }}
                >
                  Remove
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {canEdit ? (
        <>
          <form className="allowlist-add" noValidate onSubmit={add} aria-label="Add an allowed address">
            <div className="field">
              <label htmlFor={inputId}>Address or range</label>
              <input
                id={inputId}
                className="mono"
                value={entry}
                placeholder="203.0.113.0/24"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={error ? true : undefined}
                aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}
                onChange={(event) => setEntry(event.target.value)}
              />
              <p id={hintId} className="muted small field-hint">
                IPv4 or IPv6, a single address or a CIDR range; up to {MAX_ALLOWED_CIDRS}.
              </p>
            </div>
            <button type="submit" className="btn btn-secondary">
              Add
            </button>
          </form>
          {error ? (
            <p id={errorId} className="form-error" role="alert">
              {error}
            </p>
          ) : null}
          {dirty ? (
            <div className="lifecycle-actions">
              <button type="button" className="btn btn-primary btn-small" disabled={loading} onClick={() => void save()}>
                {loading ? 'Saving…' : 'Save allowed addresses'}
              </button>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                onClick={() => {
                  setDraft(null);
                  setError(null);
                }}
              >
                Discard changes
              </button>
            </div>
          ) : null}
        </>
      ) : (
        <p className="muted small">Only those who may remove this key can change its allowed addresses.</p>
      )}
    </section>
  );
}

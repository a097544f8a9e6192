import { useId } from 'react';
import { formatDateTime } from '../../../lib/format';
import { customDateBounds, expiryOptions, resolveExpiry, type ExpiryChoice } from './key-expiry';
import './lifecycle.css';

interface ExpiryFieldProps {
  choice: ExpiryChoice;
  onChoiceChange: (choice: ExpiryChoice) => void;
  customDate: string;
  onCustomDateChange: (date: string) => void;
  /** The organization's maximum lifetime of new keys, in days; null means no limit. */
  maxDays: number | null;
  error: string | null;
}

/** "Expiration" in the New API Key dialog: no expiry, a preset, or a custom date (radio buttons). */
export function ExpiryField({ choice, onChoiceChange, customDate, onCustomDateChange, maxDays, error }: ExpiryFieldProps) {
  const name = useId();
  const dateId = useId();
  const hintId = useId();
  const errorId = useId();
  const bounds = customDateBounds(maxDays);
  const preview = resolveExpiry(choice, customDate, maxDays);

  let hint: string;
  if (choice === 'none') hint = 'The key works until it is removed or disabled.';
  else if (preview.ok && preview.expiresAt) hint = `The key stops working on ${formatDateTime(preview.expiresAt)}.`;
  else hint = 'Choose the last day the key works.';
  if (maxDays !== null) hint += ` Your organization allows keys to live at most ${maxDays} ${maxDays === 1 ? 'day' : 'days'}.`;

  return (
    <fieldset className="field expiry-field" aria-describedby={`${hintId}${error ? ` ${errorId}` : ''}`}>
      <legend className="label">Expiration</legend>
      <div className="expiry-options">
        {expiryOptions(maxDays).map((option) => (
          <label key={option.value} className="radio-row">
            <input type="radio" name={name} value={option.value} checked={choice === option.value} onChange={() => onChoiceChange(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      {choice === 'custom' ? (
        <div className="field">
          <label htmlFor={dateId}>Expiration date</label>
          <input
            id={dateId}
            type="date"
            value={customDate}
            min={bounds.min}
            max={bounds.max}
            aria-invalid={error ? true : undefined}
            onChange={(event) => onCustomDateChange(event.target.value)}
          />
        </div>
      ) : null}
      <p id={hintId} className="muted small field-hint" aria-live="polite">
        {hint}
      </p>
      {error ? (
        <p id={errorId} className="form-error" role="alert">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

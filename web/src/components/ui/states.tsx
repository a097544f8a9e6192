import type { ReactNode } from 'react';
import { describeError } from '../../lib/errors';

export function Spinner({ label = 'Loading' }: { label?: string }) {
  return (
    <span className="spinner-wrap" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="sr-only">{label}</span>
    </span>
  );
}

export function LoadingState({ label }: { label: string }) {
  return (
    <div className="state state-loading" aria-busy="true">
      <Spinner label={label} />
      <p>{label}…</p>
    </div>
  );
}

/** An error with what to do next; `onRetry` shows a Try again button. */
export function ErrorState({ error, onRetry, title }: { error: unknown; onRetry?: () => void; title?: string }) {
  const info = describeError(error);
  return (
    <div className="state state-error" role="alert">
      <h2 className="state-title">{title ?? info.title}</h2>
      <p>{info.message}</p>
      {onRetry ? (
        <button type="button" className="btn btn-primary" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

export function EmptyState({ title, children, icon }: { title: string; children?: ReactNode; icon?: ReactNode }) {
  return (
    <div className="state state-empty">
      {icon}
      <h2 className="state-title">{title}</h2>
      {children}
    </div>
  );
}

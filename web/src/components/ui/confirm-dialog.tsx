import { useState, type ReactNode } from 'react';
import { AlertDialog } from 'radix-ui';

/** The failure of a dialog's action, announced at once (role="alert"); nothing while there is none. */
export function FormError({ id, error }: { id?: string; error: ReactNode }) {
  if (!error) return null;
  return (
    <p id={id} className="form-error" role="alert">
      {error}
    </p>
  );
}

/**
 * A dialog's action: runs it, and keeps its failure (worded by `describe`) for FormError until the
 * next try or `reset`. `setError` is for the dialog's own checks before it runs anything.
 */
export function useDialogAction(describe: (error: unknown) => string) {
  const [error, setError] = useState<string | null>(null);
  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(describe(err));
    }
  }
  return { error, setError, run, reset: () => setError(null) };
}

interface DialogActionsProps {
  /** The action's label, and the label while it runs (`pending`, which also disables it). */
  label: string;
  pendingLabel?: string;
  pending?: boolean;
  variant?: 'primary' | 'danger';
  /** Cancel: a plain button calling this, unless `cancel` gives the element itself. */
  onCancel?: () => void;
  cancel?: ReactNode;
  /** Without it, the action submits the dialog's form. */
  onConfirm?: () => void;
}

/** The row of Cancel and the dialog's action, last in every dialog that asks before it acts. */
export function DialogActions({ label, pendingLabel, pending, variant = 'primary', onCancel, cancel, onConfirm }: DialogActionsProps) {
  return (
    <div className="dialog-actions">
      {cancel ?? (
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      )}
      <button
        type={onConfirm ? 'button' : 'submit'}
        className={`btn btn-${variant}`}
        disabled={pending}
        onClick={
          onConfirm
            ? (event) => {
                event.preventDefault();
                onConfirm();
              }
            : undefined
        }
      >
        {pending ? (pendingLabel ?? label) : label}
      </button>
    </div>
  );
}

interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  pendingLabel?: string;
  pending?: boolean;
  /** What confirming does; a failure is shown in the dialog, which stays open. */
  onConfirm: () => Promise<void>;
  /** Words a failure of onConfirm. */
  describeError: (error: unknown) => string;
}

/** A destructive confirmation (Radix AlertDialog): focus starts on Cancel; a failure stays on screen until closed or retried. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const { open, onClose, title, description, confirmLabel, pendingLabel, pending, onConfirm, describeError } = props;
  const action = useDialogAction(describeError);
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (next) return;
        action.reset();
        onClose();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog-content dialog-sm">
          <AlertDialog.Title className="dialog-title">{title}</AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">{description}</AlertDialog.Description>
          <FormError error={action.error} />
          <DialogActions
            label={confirmLabel}
            pendingLabel={pendingLabel}
            pending={pending}
            variant="danger"
            cancel={<AlertDialog.Cancel className="btn btn-secondary">Cancel</AlertDialog.Cancel>}
            onConfirm={() => void action.run(onConfirm)}
          />
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}

import type { ReactNode } from 'react';
import { Dialog as RadixDialog } from 'radix-ui';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** Wider content, e.g. for the one-time key display. */
  size?: 'sm' | 'md';
  /** Block closing by clicking outside (e.g. while a secret is on screen). */
  modalLock?: boolean;
}

/** Modal dialog (Radix): traps focus, closes on Escape, returns focus to the trigger. */
export function Dialog({ open, onOpenChange, title, description, children, size = 'md', modalLock }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay" />
        <RadixDialog.Content
          className={`dialog-content dialog-${size}`}
          onPointerDownOutside={modalLock ? (e) => e.preventDefault() : undefined}
          onInteractOutside={modalLock ? (e) => e.preventDefault() : undefined}
          {...(description ? {} : { 'aria-describedby': undefined })}
        >
          <div className="dialog-header">
            <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
            <RadixDialog.Close className="icon-button" aria-label="Close">
              <CloseIcon />
            </RadixDialog.Close>
          </div>
          {description ? <RadixDialog.Description className="dialog-description">{description}</RadixDialog.Description> : null}
          {children}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export function CloseIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M4 4l8 8M12 4l-8 8" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

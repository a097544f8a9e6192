import { useState } from 'react';
import { useToast } from './toast';

export async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  if (!ok) throw new Error('Copy failed');
}

/** Copies a value and confirms it with a toast and a changed label. */
export function CopyButton({ value, label = 'Copy', copiedMessage = 'Copied to clipboard', className = 'btn btn-secondary' }: { value: string; label?: string; copiedMessage?: string; className?: string }) {
  const toast = useToast();
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className={className}
      onClick={async () => {
        try {
          await copyText(value);
          setCopied(true);
          toast({ title: copiedMessage, variant: 'success' });
          window.setTimeout(() => setCopied(false), 2000);
        } catch {
          toast({ title: 'Could not copy', description: 'Select the text and copy it by hand.', variant: 'error' });
        }
      }}
    >
      {copied ? 'Copied' : label}
    </button>
  );
}

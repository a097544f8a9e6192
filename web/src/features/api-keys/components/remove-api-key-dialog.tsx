import { useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { useToast } from '../../../components/ui/toast';
import { errorMessage } from '../../../lib/errors';
import { useRemoveApiKey } from '../api/remove-api-key';

export interface RemovableKey {
  id: string;
  name: string;
  maskedKey: string;
}

/** Confirms, revokes, and refreshes the list so the row and the total update at once. */
export function RemoveApiKeyDialog({ apiKey, onClose, onRemoved }: { apiKey: RemovableKey | null; onClose: () => void; onRemoved: (id: string) => void }) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const { removeApiKey, loading } = useRemoveApiKey();

  async function confirm() {
    if (!apiKey) return;
    setError(null);
    try {
      await removeApiKey(apiKey.id);
      toast({ title: 'API key removed', description: `“${apiKey.name}” no longer works.`, variant: 'success' });
      onRemoved(apiKey.id);
      onClose();
    } catch (err) {
      setError(errorMessage(err, 'removeKey'));
    }
  }

  return (
    <ConfirmDialog
      open={apiKey !== null}
      onOpenChange={(open) => {
        if (!open) {
          setError(null);
          onClose();
        }
      }}
      title={`Remove API key “${apiKey?.name ?? ''}”?`}
      description={
        <>
          The key <code>{apiKey?.maskedKey}</code> stops working immediately for every application that uses it. This cannot be undone.
        </>
      }
      confirmLabel="Remove key"
      pendingLabel="Removing…"
      pending={loading}
      error={error}
      onConfirm={() => void confirm()}
    />
  );
}

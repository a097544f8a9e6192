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
  const { removeApiKey, loading } = useRemoveApiKey();

  async function confirm() {
    if (!apiKey) return;
    await removeApiKey(apiKey.id);
    toast({ title: 'API key removed', description: `“${apiKey.name}” no longer works.`, variant: 'success' });
    onRemoved(apiKey.id);
    onClose();
  }

  return (
    <ConfirmDialog
      open={apiKey !== null}
      onClose={onClose}
      title={`Remove API key “${apiKey?.name ?? ''}”?`}
      description={
        <>
          The key <code>{apiKey?.maskedKey}</code> stops working immediately for every application that uses it. This cannot be undone.
        </>
      }
      confirmLabel="Remove key"
      pendingLabel="Removing…"
      pending={loading}
      onConfirm={confirm}
      describeError={(err) => errorMessage(err, 'removeKey')}
    />
  );
}

import { useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { useToast } from '../../../components/ui/toast';
import { describeError, errorCode } from '../../../lib/errors';
import { ApiKeysDocument, RemoveApiKeyDocument } from '../api/api-keys';
import { evictKeyPages } from '../api/cache';

export interface RemovableKey {
  id: string;
  name: string;
  maskedKey: string;
}

/** Confirms, revokes, and refreshes the list so the row and the total update at once. */
export function RemoveApiKeyDialog({ apiKey, onClose, onRemoved }: { apiKey: RemovableKey | null; onClose: () => void; onRemoved: (id: string) => void }) {
  const toast = useToast();
  const [error, setError] = useState<string | null>(null);
  const [removeApiKey, { loading }] = useMutation(RemoveApiKeyDocument);

  async function confirm() {
    if (!apiKey) return;
    setError(null);
    try {
      await removeApiKey({
        variables: { id: apiKey.id },
        update: (cache) => {
          cache.evict({ id: cache.identify({ __typename: 'ApiKey', id: apiKey.id }) });
          evictKeyPages(cache);
        },
        refetchQueries: [ApiKeysDocument],
        awaitRefetchQueries: true,
      });
      toast({ title: 'API key removed', description: `“${apiKey.name}” no longer works.`, variant: 'success' });
      onRemoved(apiKey.id);
      onClose();
    } catch (err) {
      const code = errorCode(err);
      setError(
        code === 'FORBIDDEN'
          ? 'You may not remove this key.'
          : code === 'NOT_FOUND'
            ? 'This key no longer exists.'
            : `${describeError(err).title}. ${describeError(err).message}`,
      );
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

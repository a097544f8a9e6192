import { ConfirmDialog } from '../../../components/ui/confirm-dialog';
import { useToast } from '../../../components/ui/toast';
import { errorMessage } from '../../../lib/errors';
import { useSetApiKeyEnabled } from '../api/set-api-key-enabled';

export interface PausableKey {
  id: string;
  name: string;
  maskedKey: string;
}

/** Confirms disabling a key: it is refused (DISABLED) until someone enables it again. */
export function DisableApiKeyDialog({ apiKey, onClose }: { apiKey: PausableKey | null; onClose: () => void }) {
  const toast = useToast();
  const { disableApiKey, loading } = useSetApiKeyEnabled();

  async function confirm() {
    if (!apiKey) return;
    await disableApiKey(apiKey.id);
    toast({ title: 'API key disabled', description: `“${apiKey.name}” is refused until it is enabled again.`, variant: 'success' });
    onClose();
  }

  return (
    <ConfirmDialog
      open={apiKey !== null}
      onClose={onClose}
      title={`Disable API key “${apiKey?.name ?? ''}”?`}
      description={
        <>
          Applications using <code>{apiKey?.maskedKey}</code> are refused (<code>DISABLED</code>) from their next request until the key is
          enabled again. Its secret, settings and usage history stay as they are.
        </>
      }
      confirmLabel="Disable key"
      pendingLabel="Disabling…"
      pending={loading}
      onConfirm={confirm}
      describeError={(err) => errorMessage(err, 'disableKey')}
    />
  );
}

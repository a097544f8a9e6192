import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { Dialog as RadixDialog } from 'radix-ui';
import { CopyButton } from '../../../components/ui/copy-button';
import { CloseIcon } from '../../../components/ui/dialog';
import { ErrorState, LoadingState } from '../../../components/ui/states';
import { useToast } from '../../../components/ui/toast';
import type { ApiKeyRowFragment } from '../../../gql/graphql';
import { apiBaseUrl } from '../../../lib/config';
import { errorCode, errorMessage } from '../../../lib/errors';
import { formatDateTime, formatNumber, formatRelative } from '../../../lib/format';
import { ApiKeyDetailsDocument } from '../api/api-keys';
import { useSetApiKeyEnabled } from '../api/set-api-key-enabled';
import { AllowlistEditor } from './allowlist-editor';
import { KeyActivity } from './key-activity';
import { DisableApiKeyDialog } from './key-pause-dialog';
import { ExpiryLabel, KeyStateBadge } from './key-state-badge';
import { RollApiKeyDialog } from './roll-api-key-dialog';
import { OwnerLabel, SpaceLabel } from './space-label';
import { RenameApiKeyForm } from './rename-api-key-form';
import { SpendingSection } from './spending-section';
import { KeyUsageSection } from './key-usage-section';
import { UsageChart } from './usage-chart';
import { VerificationTroubleshooting } from './verification-troubleshooting';

interface DetailsPanelProps {
  keyId: string | null;
  onClose: () => void;
  onRemove: (key: ApiKeyRowFragment) => void;
  /** The title is the inline rename form (opened by the Rename button or the row menu). */
  renaming: boolean;
  onRenamingChange: (renaming: boolean) => void;
  searchActive: boolean;
}

export function usageExample(baseUrl: string): string {
  return `curl ${baseUrl}/v1/keys/verify \\\n  -H "Authorization: Bearer $PULZE_API_KEY"`;
}

/** Side panel (a Radix dialog: focus trapped, Escape closes) with a key's details and usage. */
export function ApiKeyDetailsPanel({ keyId, onClose, onRemove, renaming, onRenamingChange, searchActive }: DetailsPanelProps) {
  return (
    <RadixDialog.Root open={keyId !== null} onOpenChange={(open) => (open ? undefined : onClose())}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="dialog-overlay sheet-overlay" />
        <RadixDialog.Content
          className="sheet"
          aria-describedby={undefined}
          onEscapeKeyDown={(event) => {
            // While renaming, Escape cancels the rename instead of closing the panel.
            if (renaming) {
              event.preventDefault();
              onRenamingChange(false);
            }
          }}
        >
          {keyId ? (
            <DetailsBody keyId={keyId} onRemove={onRemove} renaming={renaming} onRenamingChange={onRenamingChange} searchActive={searchActive} />
          ) : null}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

type DetailsBodyProps = Pick<DetailsPanelProps, 'onRemove' | 'renaming' | 'onRenamingChange' | 'searchActive'> & { keyId: string };

function DetailsBody({ keyId, onRemove, renaming, onRenamingChange, searchActive }: DetailsBodyProps) {
  const { data, loading, error, refetch } = useQuery(ApiKeyDetailsDocument, { variables: { id: keyId }, fetchPolicy: 'cache-and-network' });
  const key = data?.apiKey;
  const renameButton = useRef<HTMLButtonElement>(null);
  const wasRenaming = useRef(renaming);
  const toast = useToast();
  const [rolling, setRolling] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const { enableApiKey, loading: enabling } = useSetApiKeyEnabled();

  // After saving or cancelling a rename, focus goes back to the Rename button.
  useEffect(() => {
    if (wasRenaming.current && !renaming) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);

  const header = (title: string) => (
    <div className="dialog-header">
      <RadixDialog.Title className="dialog-title">{title}</RadixDialog.Title>
      <RadixDialog.Close className="icon-button" aria-label="Close details">
        <CloseIcon />
      </RadixDialog.Close>
    </div>
  );

  if (!key) {
    if (loading) {
      return (
        <>
          {header('API key details')}
          <LoadingState label="Loading key details" />
        </>
      );
    }
    const code = errorCode(error);
    return (
      <>
        {header('API key details')}
        {error && code !== 'NOT_FOUND' ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : (
          <div className="state" role="alert">
            <h2 className="state-title">This key no longer exists</h2>
            <p>It may have been removed, or you no longer have access to its space.</p>
          </div>
        )}
      </>
    );
  }

  const example = usageExample(apiBaseUrl());
  const canRename = key.viewerCanRemove;
  return (
    <>
      <div className="dialog-header">
        {renaming && canRename ? (
          <>
            {/* The panel keeps the key's name as its accessible name while the form is shown. */}
            <RadixDialog.Title className="sr-only">{key.name}</RadixDialog.Title>
            <RenameApiKeyForm apiKey={key} searchActive={searchActive} onDone={() => onRenamingChange(false)} />
          </>
        ) : (
          <div className="title-with-action">
            <RadixDialog.Title className="dialog-title">{key.name}</RadixDialog.Title>
            {canRename ? (
              <button ref={renameButton} type="button" className="btn btn-secondary btn-small" onClick={() => onRenamingChange(true)}>
                Rename
              </button>
            ) : null}
          </div>
        )}
        <RadixDialog.Close className="icon-button" aria-label="Close details">
          <CloseIcon />
        </RadixDialog.Close>
      </div>
      <div className="sheet-body">
        <dl className="details">
          <div>
            <dt>Key</dt>
            <dd className="with-copy">
              <code className="mono">{key.maskedKey}</code>
              <CopyButton value={key.maskedKey} label="Copy" copiedMessage="Masked key copied" className="btn btn-secondary btn-small" />
            </dd>
          </div>
          <div>
            <dt>Space</dt>
            <dd>
              <SpaceLabel name={key.space.name} logoUrl={key.space.logoUrl} />
            </dd>
          </div>
          <div>
            <dt>Owner</dt>
            <dd>
              <OwnerLabel name={key.owner.name} avatarUrl={key.owner.avatarUrl} />
            </dd>
          </div>
          <div>
            <dt>Created at</dt>
            <dd>
              <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
            </dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd className="with-copy">
              <KeyStateBadge state={key.status} />
              {key.status === 'DISABLED' && key.disabledAt ? (
                <span className="muted small">
                  since <time dateTime={key.disabledAt}>{formatDateTime(key.disabledAt)}</time>
                </span>
              ) : null}
            </dd>
          </div>
          <div>
            <dt>Expires</dt>
            <dd>
              <ExpiryLabel expiresAt={key.expiresAt} />
            </dd>
          </div>
          {key.rolledAt ? (
            <div>
              <dt>Rolled at</dt>
              <dd>
                <time dateTime={key.rolledAt}>{formatDateTime(key.rolledAt)}</time>
              </dd>
            </div>
          ) : null}
        </dl>
        {key.previousSecretExpiresAt ? (
          <p className="notice old-secret-notice">
            The previous secret still works until <time dateTime={key.previousSecretExpiresAt}>{formatDateTime(key.previousSecretExpiresAt)}</time> (
            {formatRelative(key.previousSecretExpiresAt)}); after that it is refused (REVOKED).
          </p>
        ) : null}
        {key.status === 'EXPIRED' ? (
          <p className="notice">This key has expired and is refused (EXPIRED). Roll it to get a new secret with a fresh lifetime.</p>
        ) : null}

        <section aria-labelledby="usage-title" className="sheet-section">
          <h3 id="usage-title">Usage</h3>
          <dl className="stats">
            <div>
              <dt>Last used</dt>
              <dd title={key.lastUsedAt ? formatDateTime(key.lastUsedAt) : undefined}>{key.lastUsedAt ? formatRelative(key.lastUsedAt) : 'Never used'}</dd>
            </div>
            <div>
              <dt>Total requests</dt>
              <dd>{formatNumber(key.usage.totalRequests)}</dd>
            </div>
          </dl>
          <UsageChart days={key.usage.last30Days} />
        </section>

        <KeyUsageSection keyId={key.id} keyName={key.name} />

        <SpendingSection apiKey={key} canEdit={key.viewerCanRemove} />

        <AllowlistEditor apiKey={key} canEdit={key.viewerCanRemove} />

        <KeyActivity keyId={key.id} organizationId={key.space.organizationId} space={key.space} />

        <section aria-labelledby="how-to-title" className="sheet-section">
          <h3 id="how-to-title">How to use this key</h3>
          <p>
            Send the key in the <code>Authorization</code> header as a bearer token. For security the full key is not shown again; use the
            value you saved when you created it.
          </p>
          <pre className="code-block" tabIndex={0} aria-label="Usage example">
            <code>{example}</code>
          </pre>
          <CopyButton value={example} label="Copy example" copiedMessage="Example copied" className="btn btn-secondary btn-small" />
          <VerificationTroubleshooting current={key.status === 'ACTIVE' ? null : key.status} />
        </section>

        <div className="sheet-footer">
          {key.viewerCanRemove ? (
            <div className="lifecycle-actions">
              <button type="button" className="btn btn-secondary" onClick={() => setRolling(true)}>
                Roll key…
              </button>
              {key.status === 'DISABLED' ? (
                <button
                  type="button"
                  className="btn btn-secondary"
                  disabled={enabling}
                  onClick={async () => {
                    try {
                      await enableApiKey(key.id);
                      toast({ title: 'API key enabled', description: `“${key.name}” works again with the same secret.`, variant: 'success' });
                    } catch (err) {
                      toast({ title: 'Could not enable the key', description: errorMessage(err, 'enableKey'), variant: 'error' });
                    }
                  }}
                >
                  {enabling ? 'Enabling…' : 'Enable key'}
                </button>
              ) : (
                <button type="button" className="btn btn-secondary" onClick={() => setDisabling(true)}>
                  Disable key…
                </button>
              )}
              <button type="button" className="btn btn-danger" onClick={() => onRemove(key)}>
                Remove key
              </button>
            </div>
          ) : (
            <p className="muted small">
              You may not roll, disable or remove this key: only its owner (while an editor), a space admin or an organization admin can.
            </p>
          )}
        </div>
        <RollApiKeyDialog apiKey={rolling ? key : null} onClose={() => setRolling(false)} />
        <DisableApiKeyDialog apiKey={disabling ? key : null} onClose={() => setDisabling(false)} />
      </div>
    </>
  );
}

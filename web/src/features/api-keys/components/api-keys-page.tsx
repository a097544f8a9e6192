import { useCallback, useEffect, useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { useSearchParams } from 'react-router';
import { LIMITS } from '@pulze/shared';
import { Select } from '../../../components/ui/select';
import { Tooltip } from '../../../components/ui/tooltip';
import { EmptyState, ErrorState, LoadingState } from '../../../components/ui/states';
import type { ApiKeyRowFragment, ApiKeysOrganizationQuery, ApiKeyStatus } from '../../../gql/graphql';
import { links } from '../../../lib/config';
import { errorCode } from '../../../lib/errors';
import { keyAvailability, planLabel } from '../../../lib/plans';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { ApiKeysDocument, ApiKeysOrganizationDocument } from '../api/api-keys';
import { ApiKeyDetailsPanel } from './api-key-details-panel';
import { ApiKeysTable } from './api-keys-table';
import { KeyPolicyButton } from './key-policy-dialog';
import { KeyLimitsButton } from '../../spend/components/key-limits-editor';
import { KEY_STATUS_LABEL } from './key-state-badge';
import { NewApiKeyDialog } from './new-api-key-dialog';
import { Pagination } from './pagination';
import { RemoveApiKeyDialog, type RemovableKey } from './remove-api-key-dialog';
import { SearchField } from './search-field';
import { SubscriptionBanner } from './subscription-banner';
import { UpgradePrompt } from './upgrade-prompt';

const ALL_SPACES = 'all';
const ANY_STATUS = 'any';
const STATUSES = Object.keys(KEY_STATUS_LABEL) as ApiKeyStatus[];

function positiveInt(raw: string | null, fallback: number): number {
  const value = Number(raw);
  return Number.isInteger(value) && value >= 1 ? value : fallback;
}

/** The API Keys section of one organization; `notices` (from other features) show under its title. */
export function ApiKeysPage({ organizationId, notices }: { organizationId: string; notices?: React.ReactNode }) {
  const orgQuery = useQuery(ApiKeysOrganizationDocument);
  const organization = orgQuery.data?.viewer.organizations.find((org) => org.id === organizationId);
  useDocumentTitle(organization ? `API Keys · ${organization.name}` : 'API Keys');

  if (!orgQuery.data) {
    if (orgQuery.error) {
      return (
        <main className="page">
          <ErrorState error={orgQuery.error} onRetry={() => void orgQuery.refetch()} />
        </main>
      );
    }
    return <LoadingState label="Loading organization" />;
  }
  if (!organization) {
    return (
      <main className="page">
        <EmptyState title="Organization not found">
          <p>It does not exist or you are not a member. Choose another organization above.</p>
        </EmptyState>
      </main>
    );
  }

  const { plan, status, currentPeriodEnd } = organization.subscription;
  const availability = keyAvailability(organization.subscription);
  const hasPlan = availability !== 'PLAN_UPGRADE_REQUIRED';

  return (
    <main className="page">
      <PageHeader
        actions={
          hasPlan && (organization.viewerRole === 'OWNER' || organization.viewerRole === 'ADMIN') ? (
            <>
              <KeyPolicyButton organization={{ id: organization.id, name: organization.name, maxKeyLifetimeDays: organization.maxKeyLifetimeDays ?? null }} />
              <KeyLimitsButton organizationId={organization.id} limits={organization.keyLimits} />
            </>
          ) : undefined
        }
      />
      {availability === 'SUBSCRIPTION_INACTIVE' ? <SubscriptionBanner status={status} currentPeriodEnd={currentPeriodEnd ?? null} /> : null}
      {notices}
      {hasPlan ? (
        <KeysSection organization={organization} />
      ) : (
        <UpgradePrompt planName={planLabel(plan)} organizationName={organization.name} />
      )}
    </main>
  );
}

function PageHeader({ actions }: { actions?: React.ReactNode }) {
  return (
    <div className="page-header">
      <div>
        <h1>API Keys</h1>
        <p className="muted">
          Keys give your applications access to the Pulze API. Each key belongs to one space.{' '}
          <a href={links.permissions} target="_blank" rel="noreferrer">
            Permissions overview
          </a>{' '}
          ·{' '}
          <a href={links.members} target="_blank" rel="noreferrer">
            Members
          </a>{' '}
          ·{' '}
          <a href={links.apiReference} target="_blank" rel="noreferrer">
            API reference
          </a>
        </p>
      </div>
      {actions}
    </div>
  );
}

type Organization = ApiKeysOrganizationQuery['viewer']['organizations'][number];

function KeysSection({ organization }: { organization: Organization }) {
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const page = positiveInt(params.get('page'), 1);
  const sizeParam = positiveInt(params.get('size'), LIMITS.pageSizeDefault);
  const pageSize = (LIMITS.pageSizeOptions as readonly number[]).includes(sizeParam) ? sizeParam : LIMITS.pageSizeDefault;
  const spaceParam = params.get('space');
  const spaceId = organization.spaces.some((s) => s.id === spaceParam) ? (spaceParam ?? undefined) : undefined;
  const openKeyId = params.get('key');
  const statusParam = params.get('status')?.toUpperCase();
  const status = STATUSES.find((s) => s === statusParam);

  const [createOpen, setCreateOpen] = useState(false);
  const [removing, setRemoving] = useState<RemovableKey | null>(null);
  const [renaming, setRenaming] = useState(false);

  const update = useCallback(
    (changes: Record<string, string | null>, history: 'push' | 'replace' = 'replace') => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [name, value] of Object.entries(changes)) {
            if (value === null || value === '') next.delete(name);
            else next.set(name, value);
          }
          return next;
        },
        { replace: history === 'replace' },
      );
    },
    [setParams],
  );

  const { data, previousData, loading, error, refetch } = useQuery(ApiKeysDocument, {
    variables: { organizationId: organization.id, spaceId: spaceId ?? null, search: search || null, status: status ?? null, page, pageSize },
    fetchPolicy: 'cache-and-network',
  });
  const shown = data ?? previousData;
  const result = shown?.apiKeys;

  // A remove can empty the last page: step back to the new last page.
  useEffect(() => {
    if (data && data.apiKeys.pageCount >= 1 && page > data.apiKeys.pageCount) update({ page: String(data.apiKeys.pageCount) });
  }, [data, page, update]);

  const creatableSpaces = organization.spaces.filter((space) => space.viewerCanCreateApiKeys);
  const active = keyAvailability(organization.subscription) === 'AVAILABLE';
  const createDisabledReason = !active
    ? 'Your subscription is inactive, so new keys cannot be created.'
    : creatableSpaces.length === 0
      ? 'You need the Editor or Admin role in a space to create API keys. Ask an organization admin for access.'
      : null;

  const newKeyButton = (large = false) => {
    const button = (
      <button
        type="button"
        className={`btn btn-primary${large ? ' btn-large' : ''}`}
        aria-disabled={createDisabledReason ? true : undefined}
        aria-describedby={createDisabledReason ? 'create-disabled-reason' : undefined}
        onClick={() => {
          if (!createDisabledReason) setCreateOpen(true);
        }}
      >
        + New API Key
      </button>
    );
    return <div className="create-action">{createDisabledReason ? <Tooltip content={createDisabledReason}>{button}</Tooltip> : button}</div>;
  };

  const openKey = (id: string) => {
    setRenaming(false);
    update({ key: id });
  };
  const renameKey = (id: string) => {
    setRenaming(true);
    update({ key: id });
  };
  const requestRemove = (key: ApiKeyRowFragment) => setRemoving({ id: key.id, name: key.name, maskedKey: key.maskedKey });
  const filtered = Boolean(search) || Boolean(spaceId) || Boolean(status);
  const code = errorCode(error);

  let body: React.ReactNode;
  if (code === 'PLAN_UPGRADE_REQUIRED') {
    // The plan changed since the page loaded: the server is the judge.
    body = <UpgradePrompt planName={planLabel(organization.subscription.plan)} organizationName={organization.name} />;
  } else if (error && !result) {
    body = <ErrorState error={error} onRetry={() => void refetch()} />;
  } else if (!result) {
    body = <LoadingState label="Loading API keys" />;
  } else if (result.totalCount === 0 && !filtered) {
    body = (
      <EmptyState title="No API keys yet">
        <p>Create a key to let an application call the Pulze API on behalf of one of your spaces.</p>
        {newKeyButton(true)}
        <ol className="quick-start" aria-label="Quick start">
          <li>
            <strong>Create a key</strong> with a name that says what uses it, e.g. “Mobile App - Production”.
          </li>
          <li>
            <strong>Copy it</strong> when it is shown: it is displayed only once.
          </li>
          <li>
            <strong>Send it</strong> as <code>Authorization: Bearer pk_…</code> with every request.
          </li>
        </ol>
      </EmptyState>
    );
  } else if (result.totalCount === 0) {
    body = (
      <EmptyState title="No matching API keys">
        <p>
          {search
            ? `No key name contains “${search}”${spaceId ? ' in this space' : ''}${status ? ` among ${KEY_STATUS_LABEL[status].toLowerCase()} keys` : ''}.`
            : status
              ? `There are no ${KEY_STATUS_LABEL[status].toLowerCase()} keys${spaceId ? ' in this space' : ''}.`
              : 'There are no keys in this space.'}
        </p>
        <button type="button" className="btn btn-secondary" onClick={() => update({ q: null, space: null, status: null, page: null })}>
          Clear search and filters
        </button>
      </EmptyState>
    );
  } else {
    body = (
      <>
        {error ? <ErrorState error={error} onRetry={() => void refetch()} /> : null}
        <ApiKeysTable items={result.items} busy={loading} onOpen={openKey} onRename={renameKey} onRemove={requestRemove} />
        <Pagination
          page={result.page}
          pageSize={result.pageSize}
          pageCount={result.pageCount}
          totalCount={result.totalCount}
          totalCountIsCapped={result.totalCountIsCapped}
          // Turning a page is a history entry (Back returns to the previous page); typing a search is not.
          onPageChange={(next) => update({ page: next === 1 ? null : String(next) }, 'push')}
          onPageSizeChange={(size) => update({ size: size === LIMITS.pageSizeDefault ? null : String(size), page: null })}
        />
      </>
    );
  }

  return (
    <>
      <section className="keys-section" aria-label="API keys">
        <div className="toolbar">
          <SearchField value={search} onSearch={(next) => update({ q: next || null, page: null })} />
          {organization.spaces.length > 1 ? (
            <div className="toolbar-filter">
              <Select
                ariaLabel="Filter by space"
                value={spaceId ?? ALL_SPACES}
                onValueChange={(value) => update({ space: value === ALL_SPACES ? null : value, page: null })}
                options={[{ value: ALL_SPACES, label: 'All spaces' }, ...organization.spaces.map((s) => ({ value: s.id, label: s.name }))]}
              />
            </div>
          ) : null}
          <div className="toolbar-filter">
            <Select
              ariaLabel="Filter by status"
              value={status ?? ANY_STATUS}
              onValueChange={(value) => update({ status: value === ANY_STATUS ? null : value.toLowerCase(), page: null })}
              options={[{ value: ANY_STATUS, label: 'Any status' }, ...STATUSES.map((s) => ({ value: s, label: KEY_STATUS_LABEL[s] }))]}
            />
          </div>
          <div className="toolbar-spacer" />
          {newKeyButton()}
        </div>
        {createDisabledReason ? (
          <p id="create-disabled-reason" className="notice">
            {createDisabledReason}
          </p>
        ) : null}
        {body}
      </section>
      <NewApiKeyDialog
        open={createOpen}
        onOpenChange={setCreateOpen}
        spaces={creatableSpaces}
        defaultSpaceId={spaceId}
        maxKeyLifetimeDays={organization.maxKeyLifetimeDays ?? null}
        onCreated={() => update({ q: null, space: null, status: null, page: null })}
      />
      <ApiKeyDetailsPanel
        keyId={openKeyId}
        onClose={() => {
          setRenaming(false);
          update({ key: null });
        }}
        onRemove={requestRemove}
        renaming={renaming}
        onRenamingChange={setRenaming}
        searchActive={Boolean(search)}
      />
      <RemoveApiKeyDialog
        apiKey={removing}
        onClose={() => setRemoving(null)}
        onRemoved={(id) => {
          if (openKeyId === id) update({ key: null });
        }}
      />
    </>
  );
}

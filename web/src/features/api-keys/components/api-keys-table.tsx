import type { ApiKeyRowFragment } from '../../../gql/graphql';
import { formatDateTime } from '../../../lib/format';
import { ApiKeyRowMenu } from './api-key-row-menu';
import { BudgetBar, fromOrganizationMaximum } from './budget-bar';
import { ExpiryLabel, KeyStateBadge } from './key-state-badge';
import { OwnerLabel, SpaceLabel } from './space-label';

interface ApiKeysTableProps {
  items: readonly ApiKeyRowFragment[];
  busy: boolean;
  onOpen: (id: string) => void;
  onRename: (id: string) => void;
  onRemove: (key: ApiKeyRowFragment) => void;
}

export function ApiKeysTable({ items, busy, onOpen, onRename, onRemove }: ApiKeysTableProps) {
  return (
    <div className={`table-wrap${busy ? ' is-busy' : ''}`}>
      <table className="keys-table" aria-busy={busy || undefined}>
        <caption className="sr-only">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Space</th>
            <th scope="col">Owner</th>
            <th scope="col">Created at</th>
            <th scope="col">Status</th>
            <th scope="col">Expires</th>
            <th scope="col">Budget</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((key) => (
            <tr key={key.id} className="clickable-row" onClick={() => onOpen(key.id)}>
              <td>
                <button
                  type="button"
                  className="link-button row-name"
                  onClick={(event) => {
                    event.stopPropagation();
                    onOpen(key.id);
                  }}
                >
                  {key.name}
                </button>
              </td>
              <td>
                <code className="mono">{key.maskedKey}</code>
              </td>
              <td>
                <SpaceLabel name={key.space.name} logoUrl={key.space.logoUrl} />
              </td>
              <td>
                <OwnerLabel name={key.owner.name} avatarUrl={key.owner.avatarUrl} />
              </td>
              <td>
                <time dateTime={key.createdAt}>{formatDateTime(key.createdAt)}</time>
              </td>
              <td>
                <KeyStateBadge state={key.status} />
              </td>
              <td>
                <ExpiryLabel expiresAt={key.expiresAt} />
              </td>
              <td>
                {key.effectiveBudget ? (
                  <BudgetBar budget={key.effectiveBudget} compact keyName={key.name} organizationMaximum={fromOrganizationMaximum(key.budget, key.effectiveBudget)} />
                ) : (
                  <span className="muted small">—</span>
                )}
              </td>
              <td className="cell-actions" onClick={(e) => e.stopPropagation()}>
                <ApiKeyRowMenu
                  name={key.name}
                  maskedKey={key.maskedKey}
                  canRemove={key.viewerCanRemove}
                  onViewDetails={() => onOpen(key.id)}
                  onRename={() => onRename(key.id)}
                  onRemove={() => onRemove(key)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

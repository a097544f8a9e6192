import { DropdownMenu } from 'radix-ui';
import type { ViewerQuery } from '../../../gql/graphql';
import { planLabel } from '../../../lib/plans';

type Organization = ViewerQuery['viewer']['organizations'][number];

/** Dropdown to switch the current organization (arrows, type-ahead, Escape). */
export function OrgSwitcher({ organizations, currentId, onSelect }: { organizations: Organization[]; currentId: string | undefined; onSelect: (id: string) => void }) {
  const current = organizations.find((org) => org.id === currentId) ?? organizations[0];
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="org-switcher">
        <span className="sr-only">Organization: </span>
        <span className="org-switcher-name">{current?.name ?? 'No organization'}</span>
        {current ? <span className="badge">{planLabel(current.subscription.plan)}</span> : null}
        <span aria-hidden="true">▾</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="start" sideOffset={6}>
          <DropdownMenu.Label className="menu-label">Organizations</DropdownMenu.Label>
          <DropdownMenu.RadioGroup value={current?.id ?? ''} onValueChange={onSelect}>
            {organizations.map((org) => (
              <DropdownMenu.RadioItem key={org.id} value={org.id} className="menu-item">
                <DropdownMenu.ItemIndicator className="menu-indicator">✓</DropdownMenu.ItemIndicator>
                <span>{org.name}</span>
                <span className="menu-hint">{planLabel(org.subscription.plan)}</span>
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

import { DropdownMenu } from 'radix-ui';
import { copyText } from '../../../components/ui/copy-button';
import { useToast } from '../../../components/ui/toast';

interface RowMenuProps {
  name: string;
  maskedKey: string;
  canRemove: boolean;
  onViewDetails: () => void;
  /** Opens the details panel with the rename form; offered to whoever may remove the key. */
  onRename: () => void;
  onRemove: () => void;
}

/** The ⋮ menu of a row (Radix DropdownMenu: arrows move, Escape closes, focus returns). */
export function ApiKeyRowMenu({ name, maskedKey, canRemove, onViewDetails, onRename, onRemove }: RowMenuProps) {
  const toast = useToast();
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="icon-button row-menu-trigger" aria-label={`Actions for ${name}`} onClick={(e) => e.stopPropagation()}>
        <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
          <circle cx="8" cy="3" r="1.5" fill="currentColor" />
          <circle cx="8" cy="8" r="1.5" fill="currentColor" />
          <circle cx="8" cy="13" r="1.5" fill="currentColor" />
        </svg>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4} onClick={(e) => e.stopPropagation()}>
          <DropdownMenu.Item
            className="menu-item"
            onSelect={async () => {
              try {
                await copyText(maskedKey);
                toast({ title: 'Masked key copied', description: maskedKey, variant: 'success' });
              } catch {
                toast({ title: 'Could not copy', variant: 'error' });
              }
            }}
          >
            Copy masked key
          </DropdownMenu.Item>
          <DropdownMenu.Item className="menu-item" onSelect={onViewDetails}>
            View details
          </DropdownMenu.Item>
          {canRemove ? (
            <DropdownMenu.Item className="menu-item" onSelect={onRename}>
              Rename
            </DropdownMenu.Item>
          ) : null}
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item menu-item-danger" disabled={!canRemove} onSelect={onRemove}>
            Remove key
            {canRemove ? null : <span className="menu-hint">Not allowed</span>}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

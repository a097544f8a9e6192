import { DropdownMenu } from 'radix-ui';
import { Avatar } from '../../../components/ui/avatar';

export function UserMenu({ name, email, avatarUrl, onSignOut }: { name: string; email: string; avatarUrl: string | null; onSignOut: () => void }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="user-menu-trigger">
        <Avatar src={avatarUrl} name={name} size={28} />
        <span className="sr-only">Account: </span>
        <span className="user-menu-name">{name}</span>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={6}>
          <div className="menu-account">
            <strong>{name}</strong>
            <span className="muted">{email}</span>
          </div>
          <DropdownMenu.Separator className="menu-separator" />
          <DropdownMenu.Item className="menu-item" onSelect={onSignOut}>
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}

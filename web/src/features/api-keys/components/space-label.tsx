import { Avatar } from '../../../components/ui/avatar';

export function SpaceLabel({ name, logoUrl }: { name: string; logoUrl: string | null }) {
  return (
    <span className="with-avatar">
      <Avatar src={logoUrl} name={name} shape="square" size={22} />
      <span>{name}</span>
    </span>
  );
}

export function OwnerLabel({ name, avatarUrl }: { name: string; avatarUrl: string | null }) {
  return (
    <span className="with-avatar">
      <Avatar src={avatarUrl} name={name} size={22} />
      <span>{name}</span>
    </span>
  );
}

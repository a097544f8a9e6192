import { Avatar as RadixAvatar } from 'radix-ui';

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0]?.[0], parts[parts.length - 1]?.[0]] : [parts[0]?.[0], parts[0]?.[1]];
  return letters.filter(Boolean).join('').toUpperCase() || '?';
}

/** A picture with initials as the fallback; decorative, the name sits next to it. */
export function Avatar({ src, name, shape = 'circle', size = 24 }: { src?: string | null; name: string; shape?: 'circle' | 'square'; size?: number }) {
  return (
    <RadixAvatar.Root className={`avatar avatar-${shape}`} style={{ width: size, height: size, fontSize: Math.round(size * 0.42) }} aria-hidden="true">
      {src ? <RadixAvatar.Image className="avatar-image" src={src} alt="" /> : null}
      <RadixAvatar.Fallback className="avatar-fallback" delayMs={src ? 300 : 0}>
        {initials(name)}
      </RadixAvatar.Fallback>
    </RadixAvatar.Root>
  );
}

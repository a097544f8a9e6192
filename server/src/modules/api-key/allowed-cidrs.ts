import ipaddr from 'ipaddr.js';
import { LIMITS } from '@pulze/shared';

/**
 * A key's address allowlist: IPv4 and IPv6 CIDR ranges, parsed and matched by ipaddr.js rather
 * than by hand (IPv6 shorthand, embedded IPv4, IPv4-mapped addresses and prefix arithmetic are
 * where hand-written parsers go wrong).
 */

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

export type CidrCheck = { ok: true; value: string[] } | { ok: false; reason: string };

/** A strict address: dotted-quad IPv4 (no `127.1` or hex forms) or IPv6 without a zone. */
function parseAddress(text: string): Address | undefined {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (ipaddr.IPv6.isValid(text) && !text.includes('%')) return ipaddr.IPv6.parse(text);
  return undefined;
}

/** An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is the IPv4 address it carries. */
const unmapped = (address: Address): Address =>
  address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;

const canonical = (address: Address): string =>
  address.kind() === 'ipv6' ? (address as ipaddr.IPv6).toRFC5952String() : address.toString();

/**
 * One entry: `a.b.c.d/n`, `v6::/n`, or a bare address (a single host). The canonical form
 * (`10.0.0.0/8`, `2001:db8::/32`) or why it is refused. Refusals never repeat the entry: a pasted
 * secret must not come back in an error message.
 */
export function parseCidr(entry: string): { ok: true; value: string; range: Range } | { ok: false; reason: string } {
  const text = entry.trim();
  const slash = text.indexOf('/');
  const address = parseAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) return { ok: false, reason: 'is not an IPv4 or IPv6 address or CIDR range' };
  const max = address.kind() === 'ipv4' ? 32 : 128;
  let bits = max;
  if (slash !== -1) {
    const prefix = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max) return { ok: false, reason: `has a prefix length outside 0..${max}` };
    bits = Number(prefix);
  }
  const network =
    address.kind() === 'ipv4'
      ? ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${bits}`)
      : ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/${bits}`);
  if (canonical(network) !== canonical(address)) {
    return { ok: false, reason: 'has address bits set beyond its prefix length (write the network address, e.g. 10.1.0.0/16)' };
  }
  return { ok: true, value: `${canonical(network)}/${bits}`, range: [network, bits] };
}

/** A whole allowlist as a person sends it: at most 50 valid entries, canonical, without duplicates. */
export function checkAllowedCidrs(entries: readonly string[]): CidrCheck {
  if (entries.length > LIMITS.allowedCidrsMax) {
    return { ok: false, reason: `An allowlist holds at most ${LIMITS.allowedCidrsMax} entries.` };
  }
  const value: string[] = [];
  for (const [index, entry] of entries.entries()) {
    const parsed = parseCidr(entry);
    if (!parsed.ok) return { ok: false, reason: `allowedCidrs[${index}] ${parsed.reason}.` };
    if (!value.includes(parsed.value)) value.push(parsed.value);
  }
  return { ok: true, value };
}

/** A stored allowlist, parsed once (when verification facts are read) and matched per request. */
export class AddressAllowlist {
  private constructor(private readonly ranges: Range[]) {}

  /** Null for an empty list (any address). Entries that no longer parse are skipped, never widened. */
  static from(stored: readonly string[]): AddressAllowlist | null {
    if (stored.length === 0) return null;
    const ranges: Range[] = [];
    for (const entry of stored) {
      const parsed = parseCidr(entry);
      if (parsed.ok) ranges.push(parsed.range);
    }
    return new AddressAllowlist(ranges);
  }

  /** Whether the client address is inside one of the ranges; an absent or unparsable address is not. */
  allows(clientIp: string | null | undefined): boolean {
    const text = clientIp?.trim();
    const parsed = text ? parseAddress(text) : undefined;
    if (!parsed) return false;
    const address = unmapped(parsed);
    return this.ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
  }
}

/** How the list is kept in its column: comma-separated canonical entries, or NULL for none. */
export const cidrColumn = {
  to: (value: string[] | null | undefined): string | null => (value && value.length ? value.join(',') : null),
  from: (value: string | null | undefined): string[] => (value ? value.split(',') : []),
};

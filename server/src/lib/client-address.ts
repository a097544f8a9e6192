import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';
import type { Config } from '../config';

export type TrustProxy = (address: string, hop: number) => boolean;

/**
 * Which hops of X-Forwarded-For are believed, from `TRUST_PROXY`: the last `n` hops, or the hops
 * whose address is in the list. The same function is given to express (`trust proxy`) and used by
 * the handlers served before express, so every route names the same client.
 */
export function compileTrust(trust: Config['trustProxy']): TrustProxy {
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return proxyaddr.compile(trust);
}

/** The client's address as seen through the trusted proxies. */
export function clientAddress(req: IncomingMessage, trust: TrustProxy): string {
  return proxyaddr(req, trust);
}

/** Addresses whose bucket was worked out lately: a gateway calls from a handful of addresses. */
const recentBuckets = new Map<string, string>();
/** Past this many, the memory of buckets starts over, so a flood of addresses cannot grow it. */
const RECENT_BUCKETS_MAX = 4096;

/**
 * The unit a per-address limit counts: an IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64). IPv4-mapped IPv6 addresses count as IPv4.
 */
export function addressBucket(address: string): string {
  const known = recentBuckets.get(address);
  if (known !== undefined) return known;
  const bucket = bucketOf(address);
  if (recentBuckets.size >= RECENT_BUCKETS_MAX) recentBuckets.clear();
  recentBuckets.set(address, bucket);
  return bucket;
}

function bucketOf(address: string): string {
  if (!ipaddr.isValid(address)) return 'unknown';
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
  return `${parts.map((p) => p.toString(16)).join(':')}::/64`;
}

import fs from 'node:fs';
import { generateApiKey } from '@pulze/shared';
import { codeOf, type Endpoint, type GraphQLResponse } from './graphql';
import { verifyHttp } from './keys';

/** One request of a traffic run: what was asked, when, how long it took, and what came back. */
export interface Sample {
  kind: string;
  start: number;
  end: number;
  /** HTTP status for verifications; 200 or 0 (no answer) for GraphQL. */
  status: number;
  /** Verification code, `verification_unavailable`, a GraphQL error code, 'OK', or 'NO_ANSWER'. */
  code: string;
  keyId?: string;
}

export const ms = (s: Sample) => s.end - s.start;

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Runs `step` again and again until `until()` is true; each step's samples go to `out`. */
export async function loop(until: () => boolean, step: () => Promise<void>, pauseMs = 0): Promise<void> {
  while (!until()) {
    await step();
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

/** A well-formed key (valid checksum) that no one created: never cached, always a database look-up. */
export const unknownKey = (): string => generateApiKey();

/** GET /v1/keys/verify as a sample; a connection error is `NO_ANSWER`. */
export async function verifySample(target: Pick<Endpoint, 'url'>, kind: string, key: string): Promise<Sample> {
  const start = Date.now();
  try {
    const res = await verifyHttp(target, key);
    const body = res.body as unknown as { code?: string; error?: string; keyId?: string | null };
    return { kind, start, end: Date.now(), status: res.status, code: body?.code ?? body?.error ?? 'EMPTY', ...(body?.keyId ? { keyId: body.keyId } : {}) };
  } catch {
    return { kind, start, end: Date.now(), status: 0, code: 'NO_ANSWER' };
  }
}

/** A GraphQL operation as a sample (its first error code, or 'OK'), and its data. */
export async function gqlSample<T = Record<string, any>>(
  target: Endpoint,
  kind: string,
  query: string,
  variables: Record<string, unknown>,
  token: string,
): Promise<{ sample: Sample; data: T | null | undefined }> {
  const start = Date.now();
  try {
    const res = await target.gql<T>(query, variables, token);
    return { sample: { kind, start, end: Date.now(), status: 200, code: codeOf(res as GraphQLResponse) }, data: res.data };
  } catch {
    return { sample: { kind, start, end: Date.now(), status: 0, code: 'NO_ANSWER' }, data: undefined };
  }
}

export const CREATE_KEY = 'mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { apiKey { id } secret } }';
export const REMOVE_KEY = 'mutation($id: ID!) { removeApiKey(id: $id) { id } }';
export const LIST_KEYS = 'query($org: ID!) { apiKeys(organizationId: $org, pageSize: 20) { totalCount items { id name maskedKey } } }';

/** Resident memory of a process in MB, from /proc (Linux). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return Math.round((kb / 1024) * 10) / 10;
}

/** Counts of each code among samples, for the log. */
export function tally(samples: Sample[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of samples) counts[`${s.kind}:${s.code}`] = (counts[`${s.kind}:${s.code}`] ?? 0) + 1;
  return counts;
}

import type { IncomingMessage, ServerResponse } from 'node:http';
import { LIMITS, type VerificationCode } from '@pulze/shared';
import { describeError, throttledLog, type Logger } from '../lib/logger';
import type { Metrics } from '../lib/metrics';
import { traceVerification } from '../lib/tracing';
import type { VerificationResult, VerificationService } from '../modules/verification/verification.service';
import { bearerToken } from './authenticate';

export const VERIFY_PATH = '/v1/keys/verify';
/** The model the gateway's call asks for, checked against the key's model allowlist. */
export const MODEL_HEADER = 'x-pulze-model';
/** The gateway's estimate of the call's cost, whole micro-USD, reserved against the key's budget. */
export const COST_ESTIMATE_HEADER = 'x-pulze-cost-estimate';
/** The gateway's estimate of the call's tokens, a whole number, counted at once against the key's tokens per minute. */
export const TOKEN_ESTIMATE_HEADER = 'x-pulze-token-estimate';
/** The largest token estimate taken: the largest tokensPerMinute. */
export const TOKEN_ESTIMATE_MAX = LIMITS.tokensPerMinuteMax;

/** A header's value, trimmed; undefined when absent, empty or sent more than once. */
function singleHeader(value: string | string[] | undefined): string | undefined {
  const trimmed = typeof value === 'string' ? value.trim() : undefined;
  return trimmed || undefined;
}

/** HTTP status of each verification code. */
export const VERIFY_STATUS: Record<VerificationCode, number> = {
  VALID: 200,
  MALFORMED: 401,
  NOT_FOUND: 401,
  REVOKED: 401,
  SPACE_NOT_FOUND: 401,
  PLAN_UPGRADE_REQUIRED: 403,
  SUBSCRIPTION_INACTIVE: 403,
  RATE_LIMITED: 429,
  EXPIRED: 401,
  DISABLED: 401,
  IP_NOT_ALLOWED: 403,
  MODEL_NOT_ALLOWED: 403,
  BUDGET_EXCEEDED: 402,
};

const quoted = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/**
 * The answer's JSON, written out in its fixed order: the same text as JSON.stringify of the object,
 * at a fraction of its cost on the hot path (each string is still escaped by JSON.stringify).
 */
export function answerBody(result: VerificationResult): string {
  const rate = result.rateLimit;
  const rateLimit = rate ? `{"limit":${rate.limit},"remaining":${rate.remaining},"resetAt":"${rate.resetAt.toISOString()}"}` : 'null';
  const reservation = result.reservationId ? `,"reservationId":${quoted(result.reservationId)}` : '';
  return `{"valid":${result.valid},"code":${quoted(result.code)},"keyId":${quoted(result.keyId)},"spaceId":${quoted(result.spaceId)},"organizationId":${quoted(result.organizationId)},"plan":${quoted(result.plan)},"rateLimit":${rateLimit}${reservation}}`;
}

/**
 * `/v1/keys/verify`, and below it: Envoy's ext_authz appends the original path to its prefix and
 * keeps the original method, so every method and sub-path is answered the same way.
 */
export function isVerifyRequest(url: string | undefined): boolean {
  if (!url?.startsWith(VERIFY_PATH)) return false;
  const next = url.charAt(VERIFY_PATH.length);
  return next === '' || next === '/' || next === '?';
}

/**
 * Forward-auth for gateways (nginx auth_request, Envoy ext_authz, Traefik ForwardAuth), served
 * straight from the HTTP server, before express: the key from `Authorization: Bearer pk_...`,
 * the status from the code, the ApiKeyVerification as JSON, rate-limit headers, and on success
 * `X-Pulze-*` headers a gateway can pass on to the upstream. A refusal says its code only.
 * Malformed and unknown keys count against the client's address (`VERIFY_FAILURE_*`).
 */
export function createVerifyHandler(
  verification: VerificationService,
  logger: Logger,
  metrics: Metrics,
  /** The client's address as express names it (through the trusted proxies). */
  clientOf: (req: IncomingMessage) => string,
  /** The address of the gateway's own client, checked against a key's allowlist (VERIFY_CLIENT_IP_HEADER). */
  gatewayClientOf: (req: IncomingMessage) => string | undefined = () => undefined,
) {
  const logFailure = throttledLog(logger, 'error', 'key verification failed');
  return (req: IncomingMessage, res: ServerResponse): void => {
    const token = bearerToken(req.headers.authorization) ?? '';
    const done = metrics.startVerification('http');
    const model = singleHeader(req.headers[MODEL_HEADER]) ?? null;
    const estimate = singleHeader(req.headers[COST_ESTIMATE_HEADER]);
    // A whole number of micro-USD; anything else is no estimate (a key with a budget still reserves 0).
    const costEstimateMicros = estimate !== undefined && /^\d{1,15}$/.test(estimate) ? Number(estimate) : null;
    // Whole tokens up to TOKEN_ESTIMATE_MAX; anything else is no estimate.
    const tokens = singleHeader(req.headers[TOKEN_ESTIMATE_HEADER]);
    const tokenEstimate = tokens !== undefined && /^\d{1,9}$/.test(tokens) && Number(tokens) <= TOKEN_ESTIMATE_MAX ? Number(tokens) : null;
    traceVerification('http', () => verification.verify(token, clientOf(req), gatewayClientOf(req), { model, costEstimateMicros, tokenEstimate })).then(
      (result) => {
        done(result.code);
        const status = VERIFY_STATUS[result.code];
        const headers: Record<string, string> = {
          'content-type': 'application/json; charset=utf-8',
          'cache-control': 'no-store',
          // The code as a header too: a gateway's auth_request sees headers only, not the body.
          'x-pulze-code': result.code,
        };
        if (result.rateLimit) {
          headers['x-ratelimit-limit'] = String(result.rateLimit.limit);
          headers['x-ratelimit-remaining'] = String(result.rateLimit.remaining);
          headers['x-ratelimit-reset'] = String(Math.ceil(result.rateLimit.resetAt.getTime() / 1000));
        }
        if (result.tokenLimit) {
          headers['x-ratelimit-limit-tokens'] = String(result.tokenLimit.limit);
          headers['x-ratelimit-remaining-tokens'] = String(result.tokenLimit.remaining);
          headers['x-ratelimit-reset-tokens'] = String(result.tokenLimit.resetSeconds);
        }
        if (result.code === 'RATE_LIMITED') headers['retry-after'] = String(result.retryAfterSeconds ?? 1);
        if (status === 401) headers['www-authenticate'] = 'Bearer realm="pulze", error="invalid_token"';
        if (result.valid) {
          headers['x-pulze-key-id'] = result.keyId ?? '';
          headers['x-pulze-space-id'] = result.spaceId ?? '';
          headers['x-pulze-organization-id'] = result.organizationId ?? '';
          headers['x-pulze-plan'] = result.plan ?? '';
          if (result.reservationId) headers['x-pulze-reservation-id'] = result.reservationId;
        }
        const body = answerBody(result);
        headers['content-length'] = String(Buffer.byteLength(body));
        res.writeHead(status, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        done('UNAVAILABLE');
        logFailure(describeError(error));
        const body = JSON.stringify({ error: 'verification_unavailable' });
        res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'retry-after': '1' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
    );
    // The request body (if any) is not needed; let it drain.
    req.resume();
  };
}

import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { describeError, type Logger } from '../lib/logger';
import type { ReportedTokens, TokenLimiter } from '../lib/token-limit';
import type { SpendRecorder, SpendReport } from '../modules/spend/spend-recorder';
import type { SettleOutcome, SpendLedger } from '../modules/spend/spend-ledger';
import { bearerToken } from './authenticate';
import { sendEdgeError } from './edge-errors';

export const USAGE_REPORT_PATH = '/v1/keys/usage';
/** Reports in one request. */
export const USAGE_BATCH_MAX = 1000;
/** The largest body: 1000 reports of a few hundred bytes each. */
export const USAGE_BODY_LIMIT_BYTES = 512 * 1024;
/** The most tokens one report adds to a key's window: far above the largest tokensPerMinute. */
const TOKENS_COUNTED_MAX = 1e15;

/** One call the gateway forwarded: what it cost, under the reservation its check was given. */
export interface UsageReport extends SpendReport {
  reservationId: string;
}

const count = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** The reports of a body, or why it is refused (the index and field named, never a value echoed). */
export function parseUsageBatch(body: unknown): { ok: true; reports: UsageReport[] } | { ok: false; reason: string } {
  const reports = (body as { reports?: unknown } | null)?.reports;
  if (!Array.isArray(reports)) return { ok: false, reason: 'The body must be {"reports": [...]}.' };
  if (reports.length === 0 || reports.length > USAGE_BATCH_MAX) return { ok: false, reason: `A batch holds 1 to ${USAGE_BATCH_MAX} reports.` };
  for (const [i, r] of (reports as Array<Record<string, unknown>>).entries()) {
    if (typeof r !== 'object' || r === null) return { ok: false, reason: `reports[${i}] is not an object.` };
    if (!text(r.reservationId, 64)) return { ok: false, reason: `reports[${i}].reservationId must be a reservation id.` };
    if (!text(r.keyId, 36)) return { ok: false, reason: `reports[${i}].keyId must be a key id.` };
    if (!text(r.model, 100)) return { ok: false, reason: `reports[${i}].model must be 1 to 100 characters.` };
    for (const field of ['inputTokens', 'outputTokens', 'costMicros', 'latencyMs'] as const) {
      if (!count(r[field])) return { ok: false, reason: `reports[${i}].${field} must be a whole number, 0 or more.` };
    }
    if (!count(r.status) || r.status < 100 || r.status > 599) return { ok: false, reason: `reports[${i}].status must be an HTTP status.` };
  }
  return { ok: true, reports: reports as UsageReport[] };
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * POST /v1/keys/usage: the gateway reports calls it forwarded, with the service credential of
 * USAGE_REPORT_TOKEN (`Authorization: Bearer ...`). Each report settles its reservation (once: a
 * report sent again is a DUPLICATE and counts nothing) and its tokens, cost, upstream status class
 * and latency bucket are added to the key's daily spend rows, written in batches.
 */
export function requireUsageToken(token: string) {
  const expected = digest(token);
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const sent = bearerToken(req.headers.authorization);
    if (!sent || !timingSafeEqual(digest(sent), expected)) {
      res.status(401).setHeader('www-authenticate', 'Bearer realm="pulze-usage"');
      res.json({ errors: [{ message: 'A usage report needs the service credential.', extensions: { code: 'UNAUTHENTICATED' } }] });
      return;
    }
    next();
  };
}

/** `tokens`: the settled calls' input and output tokens count against each key's tokens per minute. */
export function createUsageReportBody(ledger: SpendLedger, recorder: SpendRecorder, logger: Logger, tokens?: TokenLimiter) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = parseUsageBatch(req.body);
    if (!parsed.ok) return sendEdgeError(res, 'BAD_REQUEST', parsed.reason);
    try {
      const totals: Record<SettleOutcome, number> = { SETTLED: 0, DUPLICATE: 0, UNKNOWN: 0 };
      const now = new Date();
      const calls: ReportedTokens[] = [];
      // Sent together (on Redis, one pipelined write), answered in order. Every report settled is
      // recorded, even when another of the batch failed: sent again, it is a duplicate.
      const settled = await Promise.allSettled(parsed.reports.map((report) => ledger.settle(report.reservationId, report.costMicros, report.keyId)));
      let failure: { reason: unknown } | undefined;
      settled.forEach((result, i) => {
        if (result.status === 'rejected') return void (failure ??= result);
        const report = parsed.reports[i] as UsageReport;
        totals[result.value.outcome] += 1;
        if (result.value.outcome === 'SETTLED') {
          recorder.record(report, now);
          // Capped far above any limit, so a made-up count stays an exact integer on Redis.
          calls.push({ keyId: report.keyId, reservationId: report.reservationId, tokens: Math.min(TOKENS_COUNTED_MAX, report.inputTokens + report.outputTokens) });
        }
      });
      // Only settled reports: a report sent again counts its tokens once, in place of its estimate.
      await tokens?.add(calls);
      if (failure) throw failure.reason;
      res.setHeader('cache-control', 'no-store');
      res.json({ settled: totals.SETTLED, duplicates: totals.DUPLICATE, unknown: totals.UNKNOWN });
    } catch (error) {
      logger.error(describeError(error), 'usage report failed');
      res.status(503).json({ error: 'usage_unavailable' });
    }
  };
}

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '../lib/database-errors';
import { describeError, type Logger } from '../lib/logger';
import { LEAK_REPORT_LIMITS } from '../modules/leaks/leak-report.model';
import type { LeakRefusal, LeakService } from '../modules/leaks/leak.service';
import { SigningKeysUnavailableError } from '../modules/leaks/signing-keys';

export const LEAKS_PATH = '/v1/keys/leaks';

/** Every refusal of the endpoint, with its status (docs/openapi.json lists the same). */
export const LEAK_REFUSAL_STATUS: Record<LeakRefusal | 'body_too_large', number> = {
  signature_missing: 401,
  unknown_key_identifier: 401,
  bad_signature: 401,
  malformed_body: 400,
  too_many_tokens: 413,
  body_too_large: 413,
};

type BodyRead = { ok: true; body: Buffer } | { ok: false; code: 'body_too_large' };

/**
 * The raw bytes of the body, up to `max`: never re-serialised, since the signature covers them.
 * A body that trickles in is ended by the HTTP server's request timeout.
 */
function readBody(req: IncomingMessage, max: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) return resolve({ ok: false, code: 'body_too_large' });
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyRead) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) finish({ ok: false, code: 'body_too_large' });
      else chunks.push(chunk);
    };
    const onEnd = () => finish({ ok: true, body: Buffer.concat(chunks) });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

function answer(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return typeof value === 'string' ? value.trim() : undefined;
};

/**
 * `POST /v1/keys/leaks`: the GitHub secret-scanning partner endpoint. The body is read raw (at
 * most 1 MiB), its signature checked against the scanner's keys, and only then parsed; reported
 * keys are revoked and the answer labels each token. A refusal revokes nothing.
 */
export function createLeaksHandler(leaks: LeakService, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const read = await readBody(req, LEAK_REPORT_LIMITS.maxBytes);
      if (!read.ok) {
        logger.warn({ code: read.code }, 'secret-scanning report refused');
        // The rest is read and thrown away (bounded by the server's request timeout), so the client sees the answer.
        req.resume();
        return answer(res, 413, { error: read.code, message: `The body is larger than ${LEAK_REPORT_LIMITS.maxBytes} bytes.` });
      }
      const keyIdentifier = header(req, 'github-public-key-identifier');
      const receipt = await leaks.receive({ keyIdentifier, signature: header(req, 'github-public-key-signature'), body: read.body });
      if (!receipt.ok) {
        logger.warn({ code: receipt.code, keyIdentifier: keyIdentifier?.slice(0, 100) }, 'secret-scanning report refused');
        return answer(res, LEAK_REFUSAL_STATUS[receipt.code], { error: receipt.code, message: receipt.message });
      }
      logger.info({ keyIdentifier, tokens: receipt.answers.length, revoked: receipt.revoked }, 'secret-scanning report received');
      answer(res, 200, receipt.answers);
    })().catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof SigningKeysUnavailableError) {
        return answer(res, 503, { error: 'signing_keys_unavailable', message: 'The scanner\'s signing keys cannot be fetched now; retry later.' }, { 'retry-after': '60' });
      }
      // Anything else: the report is retried by the scanner; what failed is in the log line.
      const errorId = randomUUID();
      if (isDatabaseUnavailable(error)) logger.warn({ errorId, ...describeError(error) }, 'database unavailable during a secret-scanning report');
      else logger.error({ errorId, ...describeError(error) }, 'secret-scanning report failed');
      answer(res, 503, { error: 'service_unavailable', message: 'The report could not be processed; retry later.', errorId }, { 'retry-after': '5' });
    });
  };
}

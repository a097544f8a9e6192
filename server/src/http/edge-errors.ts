import { randomUUID } from 'node:crypto';
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { describeError, type Logger } from '../lib/logger';

/**
 * Codes of the answers given before GraphQL runs (body, encoding, route), each with its status.
 * They share the GraphQL error shape, `{"errors":[{"message", "extensions":{"code"}}]}`, so a
 * client reads every refusal the same way. docs/security.md lists them.
 */
export const EDGE_ERRORS = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  INTERNAL_SERVER_ERROR: 500,
} as const;
export type EdgeErrorCode = keyof typeof EDGE_ERRORS;

/** The largest JSON body /graphql reads, after decompression. */
export const GRAPHQL_BODY_LIMIT_BYTES = 100 * 1024;

export function edgeErrorBody(code: EdgeErrorCode, message: string, extensions: Record<string, unknown> = {}): string {
  return JSON.stringify({ errors: [{ message, extensions: { code, ...extensions } }] });
}

export function sendEdgeError(res: ServerResponse, code: EdgeErrorCode, message: string, extensions: Record<string, unknown> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = edgeErrorBody(code, message, extensions);
  res.writeHead(EDGE_ERRORS[code], {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i;

/**
 * POST /graphql takes `application/json` in UTF-8 only (GraphQL over HTTP); anything else is 415
 * before a byte is read. GET is left to Apollo (queries only, with its CSRF rules).
 */
export const requireJsonBody: RequestHandler = (req, res, next) => {
  if (req.method !== 'POST') return next();
  const type = req.headers['content-type'] ?? '';
  if (!JSON_MEDIA_TYPE.test(type)) {
    return sendEdgeError(res, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request as Content-Type: application/json.');
  }
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return sendEdgeError(res, 'UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8 (charset=utf-8).');
  }
  next();
};

/** `verify` for express.json: bytes that are not UTF-8 are refused, not silently replaced by U+FFFD. */
export function refuseInvalidUtf8(_req: IncomingMessage, _res: ServerResponse, body: Buffer): void {
  if (!isUtf8(body)) throw Object.assign(new Error('body is not UTF-8'), { type: 'entity.encoding.invalid', status: 400 });
}

/** What each body-parser failure (by its `type`) tells the client. */
const BODY_ERRORS: Record<string, [EdgeErrorCode, string]> = {
  'entity.too.large': ['PAYLOAD_TOO_LARGE', `The body is larger than ${GRAPHQL_BODY_LIMIT_BYTES / 1024} KB.`],
  'entity.parse.failed': ['BAD_REQUEST', 'The body is not a JSON object.'],
  'entity.encoding.invalid': ['BAD_REQUEST', 'The body is not valid UTF-8.'],
  'encoding.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'This Content-Encoding is not supported (use gzip, deflate, br or none).'],
  'charset.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'The body must be UTF-8 (charset=utf-8).'],
  'request.aborted': ['BAD_REQUEST', 'The request ended before its body did.'],
  'request.size.invalid': ['BAD_REQUEST', 'The body is not as long as its Content-Length says.'],
};

/** 404 for every route that does not exist, in the same shape. */
export const notFoundHandler: RequestHandler = (_req, res) => {
  sendEdgeError(res, 'NOT_FOUND', 'There is nothing here. The API is at /graphql and /v1/keys/verify.');
};

/**
 * The one error handler of everything before GraphQL: the body parser's refusals become their
 * code; other client errors (4xx from express or the router) BAD_REQUEST; anything else is a bug,
 * answered INTERNAL_SERVER_ERROR with an errorId that matches a log line. Never HTML, never a
 * stack or a path, in every NODE_ENV.
 */
export function edgeErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    const { type, status, code, limit } = (error ?? {}) as { type?: unknown; status?: unknown; code?: unknown; limit?: unknown };
    // Each route sets its own body limit; the parser's error says which one was passed.
    if (type === 'entity.too.large' && typeof limit === 'number') {
      return sendEdgeError(res, 'PAYLOAD_TOO_LARGE', `The body is larger than ${Math.floor(limit / 1024)} KB.`);
    }
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) return sendEdgeError(res, known[0], known[1]);
    if (typeof code === 'string' && code.startsWith('Z_')) {
      return sendEdgeError(res, 'BAD_REQUEST', 'The body is not what its Content-Encoding says.');
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return sendEdgeError(res, 'BAD_REQUEST', 'The request is malformed.');
    }
    const errorId = randomUUID();
    logger.error({ errorId, ...describeError(error) }, 'unexpected error before GraphQL');
    sendEdgeError(res, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side. Please try again.', { errorId });
  };
}

/**
 * Requests Node's HTTP parser refuses (malformed request line or headers, headers over the size
 * limit, too slow): the same JSON shape instead of a bare status line, then the connection closes.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || (error.code === 'ECONNRESET')) {
    socket.destroy();
    return;
  }
  const [code, message]: [EdgeErrorCode, string] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? ['HEADERS_TOO_LARGE', 'The request headers are too large.']
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? ['REQUEST_TIMEOUT', 'The request took too long to arrive.']
        : ['BAD_REQUEST', 'The request is not valid HTTP.'];
  const status = EDGE_ERRORS[code];
  const body = edgeErrorBody(code, message);
  const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[status as 400 | 408 | 431];
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

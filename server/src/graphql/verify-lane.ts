import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  execute,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ParseOptions,
  type ValidationRule,
} from 'graphql';
import type { RequestContext } from '../core/context';
import { sendEdgeError } from '../http/edge-errors';
import { describeError, type Logger } from '../lib/logger';
import { LruMap } from '../lib/lru';
import { logOperation } from './request-log';
import { operationSpan } from './tracing-plugin';

/** The field the lane serves: the gateway's check. */
const LANE_FIELD = 'verifyApiKey';
/** The largest body the lane reads; a larger one goes to the GraphQL server unread. */
export const LANE_BODY_LIMIT_BYTES = 4 * 1024;
/** Distinct documents remembered (each parsed and validated once); least recently used go first. */
export const LANE_DOCUMENTS = 64;
const JSON_UTF8 = /^application\/json\s*(;\s*charset\s*=\s*"?utf-?8"?\s*)?$/i;
/** Accept headers answered with `application/json; charset=utf-8`, as the GraphQL server answers them. */
const JSON_ACCEPTS = new Set(['*/*', 'application/json', 'application/json, */*']);

/** A document the lane serves: one query operation whose only root field is `verifyApiKey`. */
interface LaneDocument {
  document: DocumentNode;
  operation: OperationDefinitionNode;
}

export interface VerifyLaneOptions {
  schema: GraphQLSchema;
  /** The rules the GraphQL server validates with, besides graphql-js's own. */
  validationRules: readonly ValidationRule[];
  parseOptions: ParseOptions;
  /** Builds the request's context, as for every other GraphQL request. */
  contextFor: (req: IncomingMessage, res: ServerResponse, clientIp: string) => Promise<RequestContext>;
  /** The client's address, through the trusted proxies. */
  clientOf: (req: IncomingMessage) => string;
  /** The GraphQL server's own error formatter. */
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  logger: Logger;
  /** Where every request the lane does not serve goes (express, then the GraphQL server). */
  fallback: (req: IncomingMessage, res: ServerResponse) => void;
}

/**
 * The gateway's GraphQL check without the GraphQL server's pipeline. A `POST /graphql` with a small
 * JSON body, no credentials, no cookie and no origin, whose document is one query of
 * `verifyApiKey` alone, is executed here by graphql-js against the same schema, on a document
 * parsed and validated once (with the server's own parse options and rules) and with the same
 * context, error formatter, log line and span. Its answer is the one the GraphQL server gives,
 * byte for byte (a test compares them); what it leaves out is the work around it: express's
 * router and body parser, the server's request pipeline and plugins, and an ETag per answer.
 * Everything else (another document, a persisted query, variables that do not coerce, a body that
 * is not a JSON object) goes on to express, with the body already read where it was.
 */
export function createVerifyLane(options: VerifyLaneOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { schema, logger } = options;
  const rules = [...specifiedRules, ...options.validationRules];
  const documents = new LruMap<string, LaneDocument | null>(LANE_DOCUMENTS);

  /** The document's lane form, or null when the lane does not serve it; parsed and validated once. */
  const documentOf = (query: string): LaneDocument | null => {
    const known = documents.get(query);
    if (known !== undefined) return known;
    const compiled = compile(query);
    documents.set(query, compiled);
    return compiled;
  };

  const compile = (query: string): LaneDocument | null => {
    let document: DocumentNode;
    try {
      document = parse(query, options.parseOptions);
    } catch {
      return null;
    }
    if (document.definitions.length !== 1) return null;
    const [operation] = document.definitions;
    if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.operation !== 'query' || operation.directives?.length) return null;
    const selections = operation.selectionSet.selections;
    const [field] = selections;
    if (selections.length !== 1 || field?.kind !== Kind.FIELD || field.name.value !== LANE_FIELD || field.directives?.length) return null;
    if (validate(schema, document, rules).length) return null;
    return { document, operation };
  };

  const serve = async (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>, lane: LaneDocument): Promise<boolean> => {
    const { operation, document } = lane;
    const operationName = body.operationName ?? null;
    if (operationName !== null && operationName !== operation.name?.value) return false;
    const variables = body.variables ?? {};
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) return false;
    // Variables that do not coerce are the GraphQL server's to refuse (400, its messages). execute()
    // coerces them again: a few scalars, and this way the lane decides before a context or span exists.
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables as Record<string, unknown>);
    if (coerced.errors) return false;
    let contextValue: RequestContext;
    try {
      contextValue = await options.contextFor(req, res, options.clientOf(req));
    } catch {
      // Who is calling could not be found out: the GraphQL server answers that (503 or 500).
      return false;
    }
    const started = performance.now();
    const span = operationSpan();
    span.resolved(operation.operation, operation.name?.value);
    const result = (await execute({ schema, document, contextValue, variableValues: variables as Record<string, unknown> })) as ExecutionResult;
    let status = 200;
    const errors = result.errors?.map((error) => {
      const { formatted, httpStatus } = normalize(error);
      if (httpStatus) status = httpStatus;
      return options.formatError(formatted, error);
    });
    const codes = errors?.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    span.finish(contextValue.principal, codes);
    logOperation(logger, { operationName: operation.name?.value ?? null, type: operation.operation, principal: contextValue.principal.kind, started, codes });
    // The GraphQL server's order and trailing newline.
    const text = `${JSON.stringify({ errors, data: result.data, extensions: result.extensions })}\n`;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)) });
    res.end(text);
    return true;
  };

  return (req, res) => {
    if (!mayTake(req)) return options.fallback(req, res);
    const chunks: Buffer[] = [];
    let length = 0;
    req.on('data', (chunk: Buffer) => {
      length += chunk.length;
      chunks.push(chunk);
    });
    // An aborted request ends nothing: its socket is gone, and so is the answer.
    req.on('error', () => undefined);
    req.on('end', () => {
      const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, length);
      // The refusals express's JSON parser gives, in its words (the body is read and gone).
      if (!isUtf8(raw)) return sendEdgeError(res, 'BAD_REQUEST', 'The body is not valid UTF-8.');
      let body: unknown;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return sendEdgeError(res, 'BAD_REQUEST', 'The body is not a JSON object.');
      }
      if (typeof body !== 'object' || body === null) return sendEdgeError(res, 'BAD_REQUEST', 'The body is not a JSON object.');
      const hand = () => {
        (req as IncomingMessage & { body?: unknown }).body = body;
        options.fallback(req, res);
      };
      const fields = body as Record<string, unknown>;
      const lane = !Array.isArray(body) && fields.extensions === undefined && typeof fields.query === 'string' ? documentOf(fields.query) : null;
      if (!lane) return hand();
      serve(req, res, fields, lane).then(
        (served) => {
          if (!served) hand();
        },
        (error: unknown) => {
          logger.error(describeError(error), 'unexpected error in the verifyApiKey lane');
          if (!res.headersSent) sendEdgeError(res, 'INTERNAL_SERVER_ERROR', 'Something went wrong on our side. Please try again.');
        },
      );
    });
  };
}

/** The requests the lane reads: small JSON posts to /graphql that carry no credentials, no cookie and no origin. */
function mayTake(req: IncomingMessage): boolean {
  if (req.method !== 'POST' || req.url !== '/graphql') return false;
  const headers = req.headers;
  if (headers.authorization !== undefined || headers.cookie !== undefined || headers.origin !== undefined) return false;
  if (headers['content-encoding'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
  if (headers.accept !== undefined && !JSON_ACCEPTS.has(headers.accept)) return false;
  if (!JSON_UTF8.test(headers['content-type'] ?? '')) return false;
  const length = Number(headers['content-length']);
  return Number.isInteger(length) && length > 0 && length <= LANE_BODY_LIMIT_BYTES;
}

/** An execution error as the GraphQL server hands it to the formatter: a code always, its HTTP status taken out. */
function normalize(error: GraphQLError): { formatted: GraphQLFormattedError; httpStatus?: number } {
  const extensions: Record<string, unknown> = { ...error.extensions, code: error.extensions.code ?? 'INTERNAL_SERVER_ERROR' };
  const http = extensions.http as { status?: unknown } | undefined;
  delete extensions.http;
  const httpStatus = typeof http?.status === 'number' ? http.status : undefined;
  return { formatted: { ...error.toJSON(), extensions }, ...(httpStatus ? { httpStatus } : {}) };
}

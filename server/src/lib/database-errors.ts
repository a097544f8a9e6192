/**
 * The database could not answer in time: raised by the hot path's own deadline, and recognised
 * (with the driver's connection errors) by `isDatabaseUnavailable`.
 */
export class DatabaseUnavailableError extends Error {
  readonly code = 'DATABASE_UNAVAILABLE';
  constructor(reason: string) {
    super(`database unavailable: ${reason}`);
    this.name = 'DatabaseUnavailableError';
  }
}

/** Driver error codes that mean "no answer from the database", not "the statement was wrong". */
const UNAVAILABLE_CODES = new Set([
  'DATABASE_UNAVAILABLE',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_QUERY_TIMEOUT',
  'ER_STATEMENT_TIMEOUT',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
]);

/** mysql2's pool refuses without a code when its wait queue is full or it is closing. */
const UNAVAILABLE_MESSAGES = ['Queue limit reached.', 'Pool is closed.', "Can't add new command when connection is in closed state"];

/**
 * True when `error` (or the driver error TypeORM wrapped in it) says the database is away, slow
 * or saturated. Such failures are answered as "unavailable, try again", not as bugs.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someInChain(error, (code, message) =>
    (code !== undefined && UNAVAILABLE_CODES.has(code)) || (message !== undefined && UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m))),
  );
}

/**
 * True when the database rolled the transaction back to break a deadlock (InnoDB picks a victim
 * among transactions that wait on each other's locks). Nothing of it was written: it may be run again.
 */
export function isDeadlock(error: unknown): boolean {
  return someInChain(error, (code) => code === 'ER_LOCK_DEADLOCK');
}

/** Whether `test` holds for the error or a driver error TypeORM wrapped in it. */
function someInChain(error: unknown, test: (code: string | undefined, message: string | undefined) => boolean): boolean {
  // Duck-typed rather than `instanceof Error`: errors raised by Node's own sockets may come from
  // another realm (a VM context, a test sandbox) and still mean the same thing.
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    const message = (current as { message?: unknown }).message;
    if (test(typeof code === 'string' ? code : undefined, typeof message === 'string' ? message : undefined)) return true;
    current = (current as { driverError?: unknown }).driverError ?? (current as { cause?: unknown }).cause;
  }
  return false;
}

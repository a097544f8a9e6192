import pino, { type Logger } from 'pino';

/** Anything shaped like an API key is replaced before a line is written. */
const KEY_SHAPE = /pk_[0-9A-Za-z]{8,}/g;

export function redactSecrets(text: string): string {
  return text.replace(KEY_SHAPE, 'pk_[REDACTED]');
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
          'authorization',
          'password',
          'secret',
          'token',
          '*.password',
          '*.secret',
          '*.token',
          'variables.key',
          'variables.password',
        ],
        censor: '[REDACTED]',
      },
      hooks: {
        // Last line of defence: scrub key-shaped strings from the message itself.
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === 'string' ? redactSecrets(a) : a)) as Parameters<typeof method>,
          );
        },
      },
      formatters: {
        log(object) {
          return JSON.parse(redactSecrets(JSON.stringify(object))) as Record<string, unknown>;
        },
      },
    },
    destination,
  );
}

export type { Logger };

/**
 * What operators see of an unexpected error: its class and driver code, never its message
 * (driver messages quote SQL and data), stack or parameters.
 */
export function describeError(error: unknown): { type: string; code?: string } {
  if (!(error instanceof Error)) return { type: typeof error };
  const code = (error as { code?: unknown }).code;
  return { type: error.name, ...(typeof code === 'string' ? { code } : {}) };
}

/**
 * A log line that repeats at most once per `intervalMs`: an outage that fails every request
 * writes one line every few seconds, with how many were left out, instead of one per request.
 */
export function throttledLog(logger: Logger, level: 'warn' | 'error', message: string, intervalMs = 5000, now: () => number = Date.now) {
  let last = -Infinity;
  let suppressed = 0;
  return (fields: Record<string, unknown>): void => {
    const at = now();
    if (at - last < intervalMs) {
      suppressed++;
      return;
    }
    logger[level]({ ...fields, ...(suppressed ? { suppressed } : {}) }, message);
    last = at;
    suppressed = 0;
  };
}

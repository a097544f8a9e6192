import { CombinedGraphQLErrors, ServerError, ServerParseError } from '@apollo/client';
import type { ErrorCode } from '@pulze/shared';
import { API_KEYS_PLAN_LABEL } from './plans';

/** The `extensions.code` of the first GraphQL error, if the error carries one. */
export function errorCode(error: unknown): ErrorCode | string | undefined {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors.find((e) => typeof e.extensions?.code === 'string')?.extensions?.code;
    return typeof code === 'string' ? code : undefined;
  }
  if (ServerError.is(error)) {
    // Some servers answer errors with a non-2xx status and a GraphQL body.
    try {
      const body = JSON.parse(error.bodyText) as { errors?: { extensions?: { code?: unknown } }[] };
      const code = body.errors?.[0]?.extensions?.code;
      if (typeof code === 'string') return code;
    } catch {
      /* not JSON */
    }
  }
  return undefined;
}

export type ErrorKind = 'network' | 'server' | 'code';

/** What the person was doing when the error came; some codes read differently per action. */
export type ErrorAction = 'signIn' | 'createKey' | 'renameKey' | 'removeKey' | 'disableKey' | 'enableKey' | 'rollKey' | 'editAllowlist' | 'readAudit';

interface CodeText {
  kind: ErrorKind;
  title: string;
  message: string;
  /** The server's own message (written for people) replaces `message` when it has one. */
  serverMessage?: boolean;
  /** One sentence that replaces title and message for an action. */
  during?: Partial<Record<ErrorAction, string>>;
}

const WRONG_CREDENTIALS = 'Email or password is incorrect.';

/**
 * The one map from error code to what the app says. Every documented code has an entry
 * (the type makes a new code in @pulze/shared fail the build until it is worded here).
 */
export const ERROR_MESSAGES: Record<ErrorCode, CodeText> = {
  UNAUTHENTICATED: {
    kind: 'code',
    title: 'Signed out',
    message: 'Your session has ended. Sign in again to continue.',
    during: { signIn: WRONG_CREDENTIALS },
  },
  FORBIDDEN: {
    kind: 'code',
    title: 'Not allowed',
    message: 'You do not have permission to do this.',
    serverMessage: true,
    during: {
      signIn: WRONG_CREDENTIALS,
      createKey: 'You may not create keys in this space.',
      renameKey: 'You may not rename this key.',
      removeKey: 'You may not remove this key.',
      disableKey: 'You may not disable this key: only those who may remove it can.',
      enableKey: 'You may not enable this key: only those who may remove it can.',
      rollKey: 'You may not roll this key: only those who may remove it can.',
      editAllowlist: 'You may not change the allowed addresses of this key: only those who may remove it can.',
      readAudit: 'Only organization owners and admins, and space admins for their spaces, may see the audit log.',
    },
  },
  NOT_FOUND: {
    kind: 'code',
    title: 'Not found',
    message: 'It may have been removed.',
    serverMessage: true,
    during: {
      createKey: 'You may not create keys in this space.',
      renameKey: 'This key no longer exists.',
      removeKey: 'This key no longer exists.',
      disableKey: 'This key no longer exists.',
      enableKey: 'This key no longer exists.',
      rollKey: 'This key no longer exists: a removed key cannot be rolled.',
      editAllowlist: 'This key no longer exists.',
    },
  },
  BAD_USER_INPUT: {
    kind: 'code',
    title: 'Check what you entered',
    message: 'The request was not accepted.',
    serverMessage: true,
    during: { signIn: WRONG_CREDENTIALS },
  },
  PLAN_UPGRADE_REQUIRED: {
    kind: 'code',
    title: 'Upgrade required',
    message: `API keys require ${API_KEYS_PLAN_LABEL}.`,
    during: { createKey: `API keys require ${API_KEYS_PLAN_LABEL}. Upgrade your plan to create keys.` },
  },
  SUBSCRIPTION_INACTIVE: {
    kind: 'code',
    title: 'Subscription inactive',
    message: 'Renew the subscription to use API keys.',
    during: { createKey: 'Your subscription is inactive, so new keys cannot be created.' },
  },
  RATE_LIMITED: {
    kind: 'code',
    title: 'Too many requests',
    message: 'Wait a moment and try again.',
    during: { signIn: 'Too many sign-in attempts. Wait a minute and try again.' },
  },
  SERVICE_UNAVAILABLE: {
    kind: 'server',
    title: 'Temporarily unavailable',
    message: 'The service could not reach its database. Try again in a moment.',
  },
  INTERNAL_SERVER_ERROR: {
    kind: 'server',
    title: 'Something went wrong on our side',
    message: 'The server could not answer this request. Try again in a moment.',
  },
};

function isKnownCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_MESSAGES, code);
}

function serverMessageOf(error: unknown): string | undefined {
  return CombinedGraphQLErrors.is(error) ? error.errors[0]?.message : undefined;
}

/** What went wrong, in words a person can act on: a title and a message (for error states). */
export function describeError(error: unknown, action?: ErrorAction): { kind: ErrorKind; title: string; message: string } {
  const code = errorCode(error);
  if (code) {
    const text = isKnownCode(code) ? ERROR_MESSAGES[code] : undefined;
    const fromServer = serverMessageOf(error);
    if (!text) return { kind: 'code', title: 'Request failed', message: fromServer ?? code };
    const during = action ? text.during?.[action] : undefined;
    const message = during ?? (text.serverMessage && fromServer ? fromServer : text.message);
    return { kind: text.kind, title: text.title, message };
  }
  if (ServerError.is(error) || ServerParseError.is(error)) {
    const status = error.statusCode;
    return {
      kind: 'server',
      title: 'Something went wrong on our side',
      message: `The server answered with an error (HTTP ${status}). Try again in a moment.`,
    };
  }
  if (error instanceof TypeError || (error instanceof Error && /fetch|network/i.test(error.message))) {
    return {
      kind: 'network',
      title: 'Cannot reach the server',
      message: 'Check your connection. We could not reach the Pulze API.',
    };
  }
  return {
    kind: 'server',
    title: 'Something went wrong',
    message: error instanceof Error ? error.message : 'Unknown error.',
  };
}

/**
 * One sentence for a form or dialog: the action's own wording for the code, else the server's
 * message when the code carries one written for people, else title and message together.
 */
export function errorMessage(error: unknown, action?: ErrorAction): string {
  const code = errorCode(error);
  const text = code && isKnownCode(code) ? ERROR_MESSAGES[code] : undefined;
  const during = action ? text?.during?.[action] : undefined;
  if (during) return during;
  const fromServer = serverMessageOf(error);
  if (text?.serverMessage && fromServer) return fromServer;
  const info = describeError(error);
  return `${info.title}. ${info.message}`;
}

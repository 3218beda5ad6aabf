import { JidoError } from '@jido-code/core-schema';

/** Why a database could not be used; the CLI turns each into one line naming the fix. */
export type UnavailableReason =
  | 'refused'
  | 'host'
  | 'auth'
  | 'tls'
  | 'tls_unavailable'
  | 'database_missing'
  | 'lost'
  | 'timeout'
  | 'newer_schema'
  | 'other';

interface PgLikeError {
  readonly code?: string;
  readonly message?: string;
}

const connectionCodes: Readonly<Record<string, UnavailableReason>> = {
  ECONNREFUSED: 'refused',
  ECONNRESET: 'lost',
  EPIPE: 'lost',
  ENOTFOUND: 'host',
  EAI_AGAIN: 'host',
  ETIMEDOUT: 'refused',
  '28P01': 'auth',
  '3D000': 'database_missing',
  '57P01': 'lost',
  '57P02': 'lost',
  '57P03': 'refused',
  '57014': 'timeout',
  '08000': 'lost',
  '08003': 'lost',
  '08006': 'lost',
  '25P03': 'timeout',
};

/** The reason a driver error makes the database unusable, or undefined for an ordinary SQL error. */
export function unavailableReason(error: unknown): UnavailableReason | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message = '' } = error as PgLikeError;
  if (code !== undefined && connectionCodes[code] !== undefined) return connectionCodes[code];
  if (code === '28000') return /SSL|encrypt/i.test(message) ? 'tls' : 'auth';
  // The URL asks for TLS (sslmode=require) and the server answered that it has none.
  if (/does not support SSL/i.test(message)) return 'tls_unavailable';
  if (/SSL off|no encryption/i.test(message)) return 'tls';
  if (
    /Connection terminated|connection.*(closed|ended)|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return 'lost';
  }
  if (/timeout exceeded when trying to connect/i.test(message)) return 'refused';
  return undefined;
}

/** Removes the password from a connection URL, for debug details. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/:\/\/([^:/@]+):[^@]*@/, '://$1:***@');
  }
}

/**
 * Maps anything a query threw to a JidoError: a lost or refused connection, an exceeded
 * `statement_timeout` and the like become `store_unavailable` with a reason; any other SQL error
 * becomes `io_error`. The SQL state and the driver's message stay in the details (debug only).
 */
export function toStoreError(error: unknown, action: string): JidoError {
  if (error instanceof JidoError) return error;
  const reason = unavailableReason(error);
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as PgLikeError;
  const details = { action, sqlState: code ?? null, driverMessage: message ?? String(error) };
  if (reason !== undefined) {
    return new JidoError('store_unavailable', `Could not ${action}: the session database is unavailable.`, {
      details: { ...details, reason },
      cause: error,
    });
  }
  return new JidoError('io_error', `Could not ${action} in the session database.`, { details, cause: error });
}

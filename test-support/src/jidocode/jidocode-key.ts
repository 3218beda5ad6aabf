import { createHmac, pbkdf2Sync } from 'node:crypto';

/** The PBKDF2 password (and salt prefix) JidoCode derives its session key from. */
const jidoCodeKeyPassword = 'jido_code_session_v1_2025';
/** PBKDF2 iterations JidoCode uses. */
const jidoCodeKeyIterations = 100_000;

/** The host name as JidoCode salts with it: up to the first dot. */
export function shortHostname(hostname: string): string {
  const dot = hostname.indexOf('.');
  return dot < 0 ? hostname : hostname.slice(0, dot);
}

/**
 * JidoCode's session key: PBKDF2-HMAC-SHA256 of the password, salted with the password, the raw
 * bytes of `machine_secret` and the short host name; 32 bytes.
 */
export function jidoCodeKey(machineSecret: Uint8Array, hostname: string): Buffer {
  const salt = Buffer.concat([
    Buffer.from(jidoCodeKeyPassword, 'utf8'),
    machineSecret,
    Buffer.from(shortHostname(hostname), 'utf8'),
  ]);
  return pbkdf2Sync(jidoCodeKeyPassword, salt, jidoCodeKeyIterations, 32, 'sha256');
}

/** JidoCode's signature of `payload`: standard base64 (padded) of its HMAC-SHA256. */
export function jidoCodeSignature(key: Uint8Array, payload: string): string {
  return createHmac('sha256', key).update(payload, 'utf8').digest('base64');
}

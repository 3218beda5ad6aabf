import { pbkdf2 } from 'node:crypto';
import { hostname as systemHostname } from 'node:os';
import { join } from 'node:path';
import { JidoError } from '@jido-code/core-schema';
import { errnoCode, type FileSystem } from '../fs/file-system.js';
import { readFileBounded } from '../io/read-file.js';

/** The PBKDF2 password, also the salt's prefix, of JidoCode's session key. */
const password = 'jido_code_session_v1_2025';
const iterations = 100_000;
/** `machine_secret` holds 64 hex characters; fewer cannot be the secret JidoCode signed with. */
const secretLength = 64;

/** The file, directly in the home, that JidoCode keeps its machine secret in. */
const machineSecretFileName = 'machine_secret';

/** The host name as JidoCode salts with it: up to its first dot. */
export function shortHostname(name: string): string {
  const dot = name.indexOf('.');
  return dot < 0 ? name : name.slice(0, dot);
}

// One derivation per process and secret: 100,000 PBKDF2 iterations are paid once, not per file.
const derived = new Map<string, Promise<Buffer>>();

function derive(secret: Buffer, host: string): Promise<Buffer> {
  const cacheKey = `${secret.toString('hex')}\0${host}`;
  let key = derived.get(cacheKey);
  if (key === undefined) {
    const salt = Buffer.concat([Buffer.from(password, 'utf8'), secret, Buffer.from(host, 'utf8')]);
    key = new Promise<Buffer>((resolve, reject) =>
      pbkdf2(password, salt, iterations, 32, 'sha256', (error, bytes) =>
        error ? reject(error) : resolve(bytes),
      ),
    );
    derived.set(cacheKey, key);
  }
  return key;
}

/** How many keys this process has derived (for the test that it is once per process). */
export function jidoCodeKeyDerivations(): number {
  return derived.size;
}

/**
 * JidoCode's session key for a home: PBKDF2-HMAC-SHA256(password, password ‖ machine_secret ‖
 * short host name, 100,000 iterations, 32 bytes). Throws `unknown_key` naming the missing file when
 * `machine_secret` is absent or too short.
 */
export async function jidoCodeKeyFor(fs: FileSystem, home: string, host = systemHostname()): Promise<Buffer> {
  const path = join(home, machineSecretFileName);
  let secret: Buffer;
  try {
    const read = await readFileBounded(fs, path, 4096, 'the JidoCode machine secret');
    secret = Buffer.from(read.bytes);
  } catch (error) {
    const missing = errnoCode(error) === 'ENOENT' || (error as { code?: unknown }).code === 'not_found';
    throw new JidoError(
      'unknown_key',
      missing
        ? `The session was signed by JidoCode, whose key needs the file "${machineSecretFileName}" in the jido home, and that file is missing.`
        : `The session was signed by JidoCode, and its key file "${machineSecretFileName}" in the jido home could not be read.`,
      { cause: error, details: { path, signer: 'jidocode' } },
    );
  }
  if (secret.length < secretLength) {
    throw new JidoError(
      'unknown_key',
      `The session was signed by JidoCode, whose key needs the file "${machineSecretFileName}" in the jido home, and that file is too short.`,
      { details: { path, length: secret.length, signer: 'jidocode' } },
    );
  }
  return derive(secret, shortHostname(host));
}

import { constants } from 'node:fs';
import { join } from 'node:path';
import { type Logger, uuidV4Pattern } from '@jido-code/core-schema';
import { fileSystemError } from '../errors.js';
import type { FileSystem } from '../fs/file-system.js';
import { fileMode } from '../home/secure-directory.js';
import { readFileIfExists } from '../io/read-file.js';

/** The downgrade guard's ledger, `<home>/state/signed-ids`: one session id per line. */
function signedLedgerPath(home: string): string {
  return join(home, 'state', 'signed-ids');
}

const maxLedgerBytes = 64 * 1024 * 1024;

/**
 * The downgrade guard: every session id the home has seen with a valid signature (its own or
 * JidoCode's), appended one per line. An unsigned file for such an id was signed once, so its
 * signature was stripped or renamed: it is refused as tampered whatever the unsigned policy says.
 * Appends are `O_APPEND` lines under 4 KiB, atomic between processes; a duplicate line is harmless.
 */
export class SignedLedger {
  readonly #fs: FileSystem;
  readonly #path: string;
  readonly #logger: Logger;
  #ids: Set<string> | undefined;

  constructor(fs: FileSystem, home: string, logger: Logger) {
    this.#fs = fs;
    this.#path = signedLedgerPath(home);
    this.#logger = logger;
  }

  async #read(): Promise<Set<string>> {
    const bytes = await readFileIfExists(this.#fs, this.#path, maxLedgerBytes, 'the signed-session ledger');
    const ids = new Set<string>();
    if (bytes === undefined) return ids;
    for (const line of Buffer.from(bytes).toString('utf8').split('\n')) {
      if (uuidV4Pattern.test(line)) ids.add(line);
    }
    return ids;
  }

  /** True when `id` was seen validly signed, here or by another process (re-reads the ledger). */
  async wasSigned(id: string): Promise<boolean> {
    if (this.#ids?.has(id)) return true;
    this.#ids = await this.#read();
    return this.#ids.has(id);
  }

  /** Records that `id` was seen validly signed; appends and fsyncs only the first time. */
  async record(id: string): Promise<void> {
    if (this.#ids === undefined) this.#ids = await this.#read();
    if (this.#ids.has(id)) return;
    let fd: number;
    try {
      fd = await this.#fs.open(
        this.#path,
        constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW,
        fileMode,
      );
    } catch (error) {
      throw fileSystemError(error, 'record a signed session', { path: this.#path });
    }
    try {
      const line = Buffer.from(`${id}\n`, 'utf8');
      // One write of a short line: O_APPEND makes it land whole at the end, never interleaved.
      const written = await this.#fs.write(fd, line, 0, line.length, null);
      if (written !== line.length) throw new Error('short write to the signed-session ledger');
      await this.#fs.fsync(fd);
    } catch (error) {
      throw fileSystemError(error, 'record a signed session', { path: this.#path });
    } finally {
      await this.#fs
        .close(fd)
        .catch((error: unknown) =>
          this.#logger.debug('Could not close the signed-session ledger.', { error: String(error) }),
        );
    }
    this.#ids.add(id);
  }
}

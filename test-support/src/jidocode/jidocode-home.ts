import { randomBytes } from 'node:crypto';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../prng.js';
import { jidoCodeKey } from './jidocode-key.js';
import {
  generateJidoCodeDocument,
  type JidoCodeDocument,
  type JidoCodeDocumentOptions,
  type JidoCodeSigning,
  renderJidoCodeFile,
} from './jidocode-session.js';

/** One session of a generated home. */
export interface JidoCodeHomeSession extends JidoCodeDocumentOptions {
  readonly signing: JidoCodeSigning;
}

/** Options of {@link writeJidoCodeHome}. */
export interface JidoCodeHomeOptions {
  /** The home folder; created if missing. */
  readonly home: string;
  /** The host name JidoCode ran on (injected: tests never depend on this machine's name). */
  readonly hostname: string;
  /** The sessions to write (default: one signed, one unsigned, one with `"signature": null`). */
  readonly sessions?: readonly JidoCodeHomeSession[] | undefined;
  /** Seed of the generator (default 15). */
  readonly seed?: number | undefined;
  /** Write `machine_secret` (default true). */
  readonly machineSecret?: boolean | undefined;
  /** Leave a `<id>.json.tmp` behind, as a JidoCode crash between write and rename does. */
  readonly leftoverTemp?: boolean | undefined;
  /**
   * The project folder of every session that does not name its own (default: a path per session
   * that does not exist, so such sessions list and show but cannot be resumed).
   */
  readonly projectPath?: string | undefined;
}

/** A generated JidoCode home. */
export interface JidoCodeHome {
  readonly home: string;
  readonly sessionsDir: string;
  /** `<home>/machine_secret`'s bytes (64 lower-case hex characters). */
  readonly machineSecret: Buffer;
  /** The derived key files were signed with. */
  readonly key: Buffer;
  /** Each session as generated, with its signing and the exact bytes written. */
  readonly sessions: readonly (JidoCodeDocument & {
    readonly signing: JidoCodeSigning;
    readonly bytes: Buffer;
  })[];
  /** `<home>/sessions/<id>.json`. */
  sessionFile(id: string): string;
}

const defaultSessions: readonly JidoCodeHomeSession[] = [
  { signing: 'signed' },
  { signing: 'unsigned' },
  { signing: 'null-signature' },
];

/**
 * Writes a home laid out the way JidoCode leaves it: folders 0755, session files 0644,
 * `machine_secret` 0600, every file in Jason's pretty layout.
 */
export async function writeJidoCodeHome(options: JidoCodeHomeOptions): Promise<JidoCodeHome> {
  const random = mulberry32(options.seed ?? 15);
  const sessionsDir = join(options.home, 'sessions');
  await mkdir(sessionsDir, { recursive: true });
  await chmod(options.home, 0o755);
  await chmod(sessionsDir, 0o755);
  const machineSecret = Buffer.from(randomBytes(32).toString('hex'), 'utf8');
  if (options.machineSecret !== false) {
    const path = join(options.home, 'machine_secret');
    await writeFile(path, machineSecret, { mode: 0o600 });
    await chmod(path, 0o600);
  }
  const key = jidoCodeKey(machineSecret, options.hostname);
  const sessions = [];
  for (const spec of options.sessions ?? defaultSessions) {
    const projectPath = spec.projectPath ?? options.projectPath;
    const generated = generateJidoCodeDocument(
      random,
      projectPath === undefined ? spec : { ...spec, projectPath },
    );
    const bytes = Buffer.from(renderJidoCodeFile(generated.document, spec.signing, key), 'utf8');
    const path = join(sessionsDir, `${generated.id}.json`);
    await writeFile(path, bytes, { mode: 0o644 });
    await chmod(path, 0o644);
    sessions.push({ ...generated, signing: spec.signing, bytes });
  }
  if (options.leftoverTemp && sessions[0] !== undefined) {
    const path = join(sessionsDir, `${sessions[0].id}.json.tmp`);
    await writeFile(path, sessions[0].bytes.subarray(0, 40), { mode: 0o644 });
    await chmod(path, 0o644);
  }
  return {
    home: options.home,
    sessionsDir,
    machineSecret,
    key,
    sessions,
    sessionFile: (id) => join(sessionsDir, `${id}.json`),
  };
}

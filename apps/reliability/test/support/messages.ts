/**
 * Every user-facing error message a test file saw, with what must never appear in it (home path,
 * key ids, MACs, payload text). Files register what they produce and check at the end.
 */
export class MessageAudit {
  readonly #messages = new Set<string>();
  readonly #forbidden = new Set<string>();
  #count = 0;

  /** Records the message of a JidoError (or any error) and, recursively, nothing else: causes are debug-only. */
  record(error: unknown): void {
    if (error === undefined || error === null) return;
    this.#count += 1;
    this.#messages.add(error instanceof Error ? error.message : String(error));
  }

  /** A string that must never be in a user-facing message. */
  forbid(...values: readonly string[]): void {
    for (const value of values) if (value.length >= 4) this.#forbidden.add(value);
  }

  /** How many errors were recorded, and how many distinct messages. */
  get stats(): { errors: number; distinct: number } {
    return { errors: this.#count, distinct: this.#messages.size };
  }

  /** Messages that contain a forbidden string, or an absolute path, or a MAC. */
  violations(): string[] {
    const bad: string[] = [];
    for (const message of this.#messages) {
      if ([...this.#forbidden].some((value) => message.includes(value))) bad.push(message);
      else if (/(^|[\s'"(])\/(tmp|home|root|work|proc|etc|var)\b/.test(message)) bad.push(message);
      else if (/v1:[A-Za-z0-9_-]+:/.test(message)) bad.push(message);
    }
    return bad;
  }
}

/** The typed error codes a load may return (README of @jido-code/storage). */
export const documentedLoadCodes: ReadonlySet<string> = new Set([
  'not_found',
  'too_large',
  'invalid_json',
  'invalid_schema',
  'unsupported_version',
  'signature_invalid',
  'signature_malformed',
  'unknown_key',
  'unsigned',
  'permission_denied',
  'io_error',
  'too_deep',
  'migration_failed',
]);

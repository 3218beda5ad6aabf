import {
  type AppConfig,
  allowlistRegex,
  type RedactionMode,
  type UnsignedSession,
} from '@jido-code/core-schema';
import type { JournalRecord } from '@jido-code/storage';
import { decodeChange, encodeChange, type SessionChange } from '../journal-records.js';
import { redactionMarker, type SecretKind } from './secret-kinds.js';
import { cannotHoldSecret, findSecretsBatched, type SecretSpan } from './secret-scanner.js';
import { changeTexts, sessionTexts, withChangeTexts, withSessionTexts } from './session-texts.js';

/** How many secrets of which kinds were found; never the values. */
export interface RedactionSummary {
  readonly count: number;
  readonly kinds: Readonly<Partial<Record<SecretKind, number>>>;
}

/** What a redaction did: the mode it ran in, and what it found (replaced in `redact` mode only). */
export interface RedactionReport extends RedactionSummary {
  readonly mode: RedactionMode;
}

/** The settings of a {@link Redactor}, as in `config.json` (`redaction`, `redaction_allowlist`). */
export type RedactionSettings = Pick<AppConfig, 'redaction' | 'redaction_allowlist'>;

/** No secrets. */
export const emptySummary: RedactionSummary = { count: 0, kinds: {} };

function summarize(found: readonly SecretSpan[][]): RedactionSummary {
  const kinds: Partial<Record<SecretKind, number>> = {};
  let count = 0;
  for (const spans of found) {
    for (const span of spans) {
      kinds[span.kind] = (kinds[span.kind] ?? 0) + 1;
      count++;
    }
  }
  return { count, kinds };
}

function replaceSpans(text: string, spans: readonly SecretSpan[]): string {
  let result = '';
  let at = 0;
  for (const span of spans) {
    result += text.slice(at, span.start) + redactionMarker(span.kind);
    at = span.end;
  }
  return result + text.slice(at);
}

/**
 * Finds credentials in session text with a maintained rule set (secretlint's recommended preset,
 * in-process) and replaces each with `[REDACTED:<kind>]`. The one entry point for everything that
 * writes text into the home: live changes before the journal, journals on recovery, imports and
 * migrations before their first save, `jido sessions scan --fix`.
 */
export class Redactor {
  readonly mode: RedactionMode;
  readonly #literals: ReadonlySet<string>;
  readonly #patterns: readonly RegExp[];

  constructor(settings: RedactionSettings) {
    this.mode = settings.redaction;
    const literals = new Set<string>();
    const patterns: RegExp[] = [];
    for (const entry of settings.redaction_allowlist) {
      const pattern = allowlistRegex(entry);
      if (pattern) patterns.push(pattern);
      else literals.add(entry);
    }
    this.#literals = literals;
    this.#patterns = patterns;
  }

  /** The secrets in each text, without the allowlisted ones, whatever the mode. */
  async find(texts: readonly string[]): Promise<SecretSpan[][]> {
    // Most messages hold nothing any rule could flag: known at once, without a scan.
    if (texts.every(cannotHoldSecret)) return texts.map(() => []);
    const found = await findSecretsBatched(texts);
    return found.map((spans, index) =>
      spans.filter((span) => !this.#allowed((texts[index] as string).slice(span.start, span.end))),
    );
  }

  /** Counts the secrets in a session whatever the mode (`jido sessions scan`). */
  async scanSession(session: UnsignedSession): Promise<RedactionSummary> {
    return summarize(await this.find(sessionTexts(session)));
  }

  /** Replaces the secrets in the texts whatever the mode (`scan --fix` is an explicit request). */
  async redactTexts(texts: readonly string[]): Promise<{ texts: string[]; summary: RedactionSummary }> {
    const found = await this.find(texts);
    return {
      texts: texts.map((text, index) => replaceSpans(text, found[index] as SecretSpan[])),
      summary: summarize(found),
    };
  }

  /** Redacts a whole session whatever the mode; `scan --fix` uses it. */
  async redactSessionAlways(
    session: UnsignedSession,
  ): Promise<{ session: UnsignedSession; summary: RedactionSummary }> {
    const redacted = await this.redactTexts(sessionTexts(session));
    return { session: withSessionTexts(session, redacted.texts), summary: redacted.summary };
  }

  /**
   * A session on its way in (import, migration, cross-tool importers), as the mode says: `redact`
   * replaces, `warn` only reports, `off` does not look.
   */
  async redactSession(
    session: UnsignedSession,
  ): Promise<{ session: UnsignedSession; report: RedactionReport }> {
    if (this.mode === 'off') return { session, report: { mode: this.mode, ...emptySummary } };
    if (this.mode === 'warn')
      return { session, report: { mode: this.mode, ...(await this.scanSession(session)) } };
    const redacted = await this.redactSessionAlways(session);
    return { session: redacted.session, report: { mode: this.mode, ...redacted.summary } };
  }

  /** One live change before it is journaled, as the mode says. */
  async redactChange(change: SessionChange): Promise<{ change: SessionChange; report: RedactionReport }> {
    if (this.mode === 'off') return { change, report: { mode: this.mode, ...emptySummary } };
    const texts = changeTexts(change);
    if (this.mode === 'warn') {
      return { change, report: { mode: this.mode, ...summarize(await this.find(texts)) } };
    }
    const redacted = await this.redactTexts(texts);
    if (redacted.summary.count === 0) return { change, report: { mode: this.mode, ...emptySummary } };
    return {
      change: withChangeTexts(change, redacted.texts),
      report: { mode: this.mode, ...redacted.summary },
    };
  }

  /**
   * Journal records being recovered, as the mode says. Records this version cannot read are left
   * as they are: replay reports them.
   */
  async redactRecords(
    records: readonly JournalRecord[],
  ): Promise<{ records: JournalRecord[]; report: RedactionReport }> {
    if (this.mode !== 'redact')
      return { records: [...records], report: { mode: this.mode, ...emptySummary } };
    const changes = records.map((record) => decodeChange(record.type, record.data));
    const texts = changes.map((change) => (change.ok ? changeTexts(change.value) : []));
    const redacted = await this.redactTexts(texts.flat());
    let next = 0;
    const result = records.map((record, index) => {
      const change = changes[index];
      const own = (texts[index] as string[]).length;
      const replaced = redacted.texts.slice(next, next + own);
      next += own;
      if (!change?.ok) return record;
      const { data } = encodeChange(withChangeTexts(change.value, replaced));
      return { ...record, data };
    });
    return { records: result, report: { mode: this.mode, ...redacted.summary } };
  }

  #allowed(value: string): boolean {
    // A rule that takes the rest of a line (`.npmrc`'s `_authToken=`) would find its own marker again.
    if (value.startsWith('[REDACTED:')) return true;
    return this.#literals.has(value) || this.#patterns.some((pattern) => pattern.test(value));
  }
}

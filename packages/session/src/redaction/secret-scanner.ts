import type {
  SecretLintCoreConfig,
  SecretLintCoreResultMessage,
  SecretLintRuleCreator,
} from '@secretlint/types';
import { extraAnchors, prefilter, prefilteredRules } from './rule-prefilters.js';
import { kindOfFinding, type SecretKind } from './secret-kinds.js';

/** One secret in a text: the characters `[start, end)` and what kind of secret they are. */
export interface SecretSpan {
  readonly start: number;
  readonly end: number;
  readonly kind: SecretKind;
}

/** The rule set, named in the README and in `jido sessions scan --json`. */
export const ruleSetName = '@secretlint/secretlint-rule-preset-recommend';
/** Its version (the last release that runs on Node 20); a test checks it against the installed one. */
export const ruleSetVersion = '12.0.0';

type Lint = (content: string, pass: Pass) => Promise<readonly SecretLintCoreResultMessage[]>;
interface Pass {
  readonly config: SecretLintCoreConfig;
  readonly filePath: string;
  readonly ext: string;
}
interface Engine {
  readonly lint: Lint;
  /**
   * The rules of the preset that could flag something in `content` (see `rule-prefilters.ts`), on
   * plain text (AWS key ids on, `secretlint-disable` comments off); undefined when none could.
   */
  readonly text: (content: string) => Pass | undefined;
  /** The npm rule as if the text were an `.npmrc` (its `_authToken=` check looks at the file name). */
  readonly npmrc: Pass;
  /** The GCP rule as if the text were a `.json` file (a service-account key file pasted whole). */
  readonly json: Pass;
}

/**
 * Texts are scanned together, joined by a separator that no rule's pattern can cross (a NUL
 * between newlines), so one rule-set run covers many messages: the run's fixed cost is about
 * 0.1 ms, larger than scanning a short message itself.
 */
const separator = '\n\u0000\n';
const batchCharacters = 1 << 20;
/** Fields of a finding's data that hold the matched value (others hold labels or file names). */
const valueFields = ['KEY', 'TOKEN', 'ID', 'URL', 'URI', 'CREDENTIAL'] as const;

let engine: Promise<Engine> | undefined;

/**
 * True only when no pass of the scan (the rule set, the `.npmrc` pass, the key-file pass) could
 * flag anything in `text`. Answered without loading the rule set: every scanning rule of the
 * pinned preset has a prefilter (a test holds `prefilteredRules` equal to the preset's rules), so
 * a command whose texts hold no rule's anchors never loads secretlint at all.
 */
export function cannotHoldSecret(text: string): boolean {
  const found = prefilter(text);
  if (found.empty) return true;
  if (extraAnchors.some(found.has)) return false;
  return !prefilteredRules.some((rule) => found.couldMatch(rule));
}

/** Loads the rule set once per process, on first use (so commands that never scan never load it). */
function loadEngine(): Promise<Engine> {
  engine ??= (async () => {
    const [{ lintSource }, { creator: preset }, { secretLintProfiler }] = await Promise.all([
      import('@secretlint/core'),
      import('@secretlint/secretlint-rule-preset-recommend'),
      import('@secretlint/profiler'),
    ]);
    // secretlint 12 records performance marks on every run and keeps them all, so each run gets
    // slower and memory grows (secretlint issues #1633 and #1653, fixed in 13, which needs Node 22).
    // Its marks go nowhere instead.
    (secretLintProfiler as unknown as { perf: unknown }).perf = {
      mark: () => undefined,
      measure: () => undefined,
    };
    const rule = (name: string): SecretLintRuleCreator =>
      preset.rules.find(
        (entry) => entry.meta.id === `@secretlint/secretlint-rule-${name}`,
      ) as SecretLintRuleCreator;
    const single = (name: string): SecretLintCoreConfig => ({
      rules: [{ id: `@secretlint/secretlint-rule-${name}`, rule: rule(name) }],
    });
    // Every rule of the preset, each registered on its own: the preset's own options cannot turn
    // one of its rules off, and a message must not be able to switch detection off by containing
    // "secretlint-disable" (the filter-comments rule). AWS key ids are off by default; on here.
    const textRules = preset.rules
      .filter((entry) => entry.meta.id !== '@secretlint/secretlint-rule-filter-comments')
      .map((entry) => ({
        id: entry.meta.id,
        rule: entry as SecretLintRuleCreator,
        ...(entry.meta.id === '@secretlint/secretlint-rule-aws'
          ? { options: { enableIDScanRule: true } }
          : {}),
      }));
    // One pass per set of rules that came up, kept for reuse (a few sets in practice; bounded).
    const textPasses = new Map<string, Pass>();
    const text = (content: string): Pass | undefined => {
      const { couldMatch } = prefilter(content);
      const rules = textRules.filter((entry) => couldMatch(entry.id));
      if (rules.length === 0) return undefined;
      const key = rules.map((entry) => entry.id).join(' ');
      let pass = textPasses.get(key);
      if (pass === undefined) {
        if (textPasses.size >= 256) textPasses.clear();
        pass = { config: { rules }, filePath: '', ext: '.txt' };
        textPasses.set(key, pass);
      }
      return pass;
    };
    const lint: Lint = async (content, pass) => {
      const result = await lintSource({
        source: { content, filePath: pass.filePath, ext: pass.ext, contentType: 'text' },
        options: { config: pass.config, noPhysicFilePath: true },
      });
      return result.messages;
    };
    return {
      lint,
      text,
      npmrc: { config: single('npm'), filePath: '.npmrc', ext: '.npmrc' },
      json: { config: single('gcp'), filePath: '', ext: '.json' },
    };
  })();
  return engine;
}

/** Where a finding's secret is: its matched value near the reported range, else the range. */
function spanOf(content: string, message: SecretLintCoreResultMessage): [number, number] {
  const [start, end] = message.range;
  if (message.messageId === 'AWSAccountID') {
    // The rule reports `AWS_ACCOUNT_ID = "1234-5678-9012`: keep the name, redact the number.
    const digits = /[0-9]{4}-?[0-9]{4}-?[0-9]{4}/.exec(content.slice(start, end));
    if (digits) return [start + digits.index, start + digits.index + digits[0].length];
  }
  const data = (message.data ?? {}) as Record<string, unknown>;
  for (const field of valueFields) {
    const value = data[field];
    if (typeof value !== 'string' || value.length < 8) continue;
    // Some rules report the start of the whole match with the length of the captured value.
    const at = content.indexOf(value, start);
    if (at >= 0 && at <= end + 600) return [at, at + value.length];
  }
  return [start, end];
}

/** Kinds that name where a secret sits rather than what it is; a specific kind wins over them. */
const genericKinds: ReadonlySet<SecretKind> = new Set(['url-password', 'database-password', 'secret']);

/** Which of two overlapping findings names the merged span: specific over generic, then the longer. */
function rank(span: SecretSpan): number {
  return (genericKinds.has(span.kind) ? 0 : 1e9) + (span.end - span.start);
}

/** Overlapping spans become one, named after the best-ranked finding among them. */
function mergeSpans(spans: SecretSpan[]): SecretSpan[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: { span: SecretSpan; best: SecretSpan }[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.start < last.span.end) {
      const best = rank(span) > rank(last.best) ? span : last.best;
      last.span = { start: last.span.start, end: Math.max(last.span.end, span.end), kind: best.kind };
      last.best = best;
    } else {
      merged.push({ span, best: span });
    }
  }
  return merged.map((entry) => entry.span);
}

/**
 * The text with every line that has no `.npmrc` auth setting (the auth token key after a
 * registry's `//host/:`, or at the start of a line) blanked to spaces of the same length, so offsets still match: the rule takes the
 * rest of any line containing `_authToken=`, which in code or prose is not a token.
 */
function npmrcLinesOnly(content: string): string {
  return content.replace(/^.*$/gm, (line) =>
    /(?:^\s*|:)_authToken=/.test(line) ? line : ' '.repeat(line.length),
  );
}

async function scanJoined(content: string, engine: Engine): Promise<SecretSpan[]> {
  const passes: [Pass, string][] = [];
  const text = engine.text(content);
  if (text !== undefined) passes.push([text, content]);
  if (content.includes('_authToken=')) passes.push([engine.npmrc, npmrcLinesOnly(content)]);
  const spans: SecretSpan[] = [];
  for (const [pass, text] of passes) {
    for (const message of await engine.lint(text, pass)) {
      const [start, end] = spanOf(text, message);
      if (end > start) spans.push({ start, end, kind: kindOfFinding(message.ruleId, message.messageId) });
    }
  }
  return spans;
}

/** A whole pasted service-account key file is itself the secret. */
async function scanAsKeyFile(text: string, engine: Engine): Promise<SecretSpan[]> {
  if (!text.trimStart().startsWith('{') || !text.includes('private_key')) return [];
  const messages = await engine.lint(text, engine.json);
  return messages.map(() => ({ start: 0, end: text.length, kind: 'gcp-service-account' as const }));
}

/**
 * Finds the secrets in each text, with the recommended secretlint rule set, in-process. The
 * result has one list per text, sorted and without overlaps.
 */
async function findSecrets(texts: readonly string[]): Promise<SecretSpan[][]> {
  const loaded = await loadEngine();
  const found: SecretSpan[][] = texts.map(() => []);
  let first = 0;
  while (first < texts.length) {
    let last = first;
    let size = (texts[first] as string).length;
    while (last + 1 < texts.length && size + (texts[last + 1] as string).length < batchCharacters) {
      last++;
      size += (texts[last] as string).length + separator.length;
    }
    const batch = texts.slice(first, last + 1);
    const spans = await scanJoined(batch.join(separator), loaded);
    let offset = 0;
    for (const [index, text] of batch.entries()) {
      const end = offset + text.length;
      const own = spans
        .filter((span) => span.start < end && span.end > offset)
        .map((span) => ({
          start: Math.max(span.start, offset) - offset,
          end: Math.min(span.end, end) - offset,
          kind: span.kind,
        }));
      own.push(...(await scanAsKeyFile(text, loaded)));
      found[first + index] = mergeSpans(own);
      offset = end + separator.length;
    }
    first = last + 1;
  }
  return found;
}

interface Waiting {
  readonly texts: readonly string[];
  readonly resolve: (found: SecretSpan[][]) => void;
  readonly reject: (error: unknown) => void;
}
let waiting: Waiting[] = [];

function scanWaiting(): void {
  const requests = waiting;
  waiting = [];
  findSecrets(requests.flatMap((request) => request.texts)).then(
    (found) => {
      let at = 0;
      for (const request of requests) {
        request.resolve(found.slice(at, at + request.texts.length));
        at += request.texts.length;
      }
    },
    (error: unknown) => {
      for (const request of requests) request.reject(error);
    },
  );
}

/**
 * {@link findSecrets}, with the requests made in one synchronous burst (a thousand appends issued
 * together) scanned as one batch: one rule-set run instead of a thousand.
 */
export function findSecretsBatched(texts: readonly string[]): Promise<SecretSpan[][]> {
  return new Promise((resolve, reject) => {
    waiting.push({ texts, resolve, reject });
    if (waiting.length === 1) queueMicrotask(scanWaiting);
  });
}

import { err, JidoError, ok, type Result } from '@jido-code/core-schema';
import { printable, quoteInput, truncateEnd } from './display-text.js';
import { shortId } from './format-list.js';

/** How a target found its entry. */
export type TargetMatch = 'index' | 'id' | 'prefix' | 'name';

/** A resolved target: the entry, its 0-based position in the list, and which rule found it. */
export interface ResolvedTarget<T> {
  /** The entry the target names. */
  readonly entry: T;
  /** Its 0-based position in the `entries` given (the user typed `index + 1` for an index match). */
  readonly index: number;
  /** Which rule matched. */
  readonly matchedBy: TargetMatch;
}

/** One entry a target could mean, as kept in an `ambiguous_target` error's `details.candidates`. */
export interface TargetCandidate {
  /** The entry's full id. */
  readonly id: string;
  /** The entry's name. */
  readonly name: string;
  /** Its 1-based position in the list shown to the user. */
  readonly position: number;
}

/** Which rules a target may match by. */
export interface TargetRules {
  /**
   * Digits may name a position (default). Off when resolving against a list the user was not
   * shown: a number is then only an id prefix.
   */
  readonly byIndex?: boolean;
}

/** Shortest id prefix accepted, so that a short word is not taken for an id by accident. */
export const minimumPrefixLength = 4;

/** Most candidates an ambiguity message names; the rest are counted. */
const maxListedCandidates = 5;

const digitsOnly = /^[0-9]+$/;

/**
 * Resolves what a user typed to name a session, the same way for every command (`/session switch`,
 * `/resume`, `jido sessions show`, …). The rules, first that finds exactly one entry wins:
 *
 * 1. **Index.** Only ASCII digits (`3`, `03`) whose value is 1..`entries.length`: the entry at that
 *    1-based position in `entries`, which must be in the order shown to the user. Anything with a
 *    non-digit (`1234abcd`, `12345678-…`) is never an index, even if it starts with digits.
 * 2. **Full id.** Equal to an entry's id, ignoring case.
 * 3. **Id prefix.** At least {@link minimumPrefixLength} characters that start exactly one id,
 *    ignoring case. Digits-only strings out of index range get here too: `1234` may be an id prefix.
 * 4. **Name.** Equal to exactly one entry's name: case-sensitive first, then case-insensitive.
 *
 * Failures, in this order:
 * - the prefix or the name matches several entries: `ambiguous_target`, the message naming each
 *   candidate's short id and name, `details.candidates` holding {@link TargetCandidate}s (an
 *   ambiguous prefix gives way to a unique exact name, since the name is then clearly meant);
 * - digits only and nothing matched: `target_out_of_range`, the message giving the valid range,
 *   `details` `{ index, count }`;
 * - otherwise `not_found`, `details` `{ target }`.
 *
 * Leading and trailing whitespace is ignored. An index wins over a name made of digits: a session
 * named `2` is reached by its id.
 */
export function resolveTarget<T extends { readonly id: string; readonly name: string }>(
  target: string,
  entries: readonly T[],
  { byIndex = true }: TargetRules = {},
): Result<ResolvedTarget<T>> {
  const wanted = target.trim();
  const count = entries.length;
  const isNumber = digitsOnly.test(wanted);
  const position = isNumber && byIndex ? Number(wanted) : Number.NaN;
  const atIndex = entries[position - 1];
  if (position >= 1 && atIndex !== undefined)
    return ok({ entry: atIndex, index: position - 1, matchedBy: 'index' });

  const lower = wanted.toLowerCase();
  const byId = matching(entries, (entry) => entry.id.toLowerCase() === lower);
  if (byId[0] !== undefined) return ok({ ...byId[0], matchedBy: 'id' });

  const byPrefix =
    Array.from(lower).length >= minimumPrefixLength
      ? matching(entries, (entry) => entry.id.toLowerCase().startsWith(lower))
      : [];
  if (byPrefix.length === 1 && byPrefix[0] !== undefined) return ok({ ...byPrefix[0], matchedBy: 'prefix' });

  const byName = matchName(entries, wanted);
  if (byName.length === 1 && byName[0] !== undefined) return ok({ ...byName[0], matchedBy: 'name' });

  const ambiguous = byPrefix.length > 1 ? byPrefix : byName;
  if (ambiguous.length > 1) return err(ambiguousTarget(wanted, ambiguous));
  if (isNumber && byIndex) return err(outOfRange(wanted, position, count));
  return err(
    new JidoError('not_found', `No session matches ${quoteInput(wanted)}.`, { details: { target: wanted } }),
  );
}

interface Match<T> {
  readonly entry: T;
  readonly index: number;
}

function matching<T>(entries: readonly T[], predicate: (entry: T) => boolean): Match<T>[] {
  return entries.flatMap((entry, index) => (predicate(entry) ? [{ entry, index }] : []));
}

function matchName<T extends { readonly name: string }>(entries: readonly T[], wanted: string): Match<T>[] {
  const exact = matching(entries, (entry) => entry.name === wanted);
  if (exact.length > 0) return exact;
  const lower = wanted.toLowerCase();
  return matching(entries, (entry) => entry.name.toLowerCase() === lower);
}

function ambiguousTarget<T extends { readonly id: string; readonly name: string }>(
  wanted: string,
  matches: readonly Match<T>[],
): JidoError {
  const candidates: TargetCandidate[] = matches.map(({ entry, index }) => ({
    id: entry.id,
    name: entry.name,
    position: index + 1,
  }));
  return new JidoError(
    'ambiguous_target',
    `${quoteInput(wanted)} matches ${candidates.length} sessions: ${describeCandidates(candidates)}. Use more of the id, or the number.`,
    { details: { target: wanted, candidates } },
  );
}

/** `3: 1a2b3c4d "api", 5: 1a2b9f00 "web"` (at most five, then `and N more`). */
export function describeCandidates(candidates: readonly TargetCandidate[]): string {
  const listed = candidates
    .slice(0, maxListedCandidates)
    .map(
      (candidate) =>
        `${candidate.position}: ${shortId(candidate.id)} "${truncateEnd(printable(candidate.name), 30)}"`,
    );
  const more = candidates.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

function outOfRange(wanted: string, position: number, count: number): JidoError {
  const message =
    count === 0
      ? 'There are no sessions to choose from.'
      : `There is no session number ${quoteInput(wanted)}: choose 1 to ${count}.`;
  return new JidoError('target_out_of_range', message, { details: { index: position, count } });
}

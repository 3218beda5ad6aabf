/** The Levenshtein distance between `a` and `b` (insertions, deletions, substitutions; cost 1 each). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let row = 1; row <= a.length; row += 1) {
    const current = [row];
    for (let column = 1; column <= b.length; column += 1) {
      const substitution = (previous[column - 1] ?? 0) + (a[row - 1] === b[column - 1] ? 0 : 1);
      const deletion = (previous[column] ?? 0) + 1;
      const insertion = (current[column - 1] ?? 0) + 1;
      current.push(Math.min(substitution, deletion, insertion));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The candidate closest to `word` (case-insensitive), or `undefined` when even the closest needs
 * more than `maxDistance` edits (default: 2, and fewer than the word's own length, so `/x` suggests
 * nothing). Ties go to the earlier candidate.
 */
export function closestMatch<T extends string>(
  word: string,
  candidates: readonly T[],
  maxDistance = 2,
): T | undefined {
  const needle = word.toLowerCase();
  const limit = Math.min(maxDistance, needle.length - 1);
  let best: { candidate: T; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

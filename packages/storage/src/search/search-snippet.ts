import { foldToken, type SearchQuery, termOccursAt } from './search-query.js';

/** Text around a match, with the matched words marked. */
export interface Snippet {
  /** One line of text (white space folded), `…` where it was cut. */
  readonly text: string;
  /** `[start, end)` character offsets in `text` of every matched word. */
  readonly highlights: readonly (readonly [number, number])[];
}

interface PlacedToken {
  readonly folded: string;
  readonly start: number;
  readonly end: number;
}

const tokenPattern = /[\p{L}\p{N}\p{Co}]+/gu;

function placedTokens(text: string): PlacedToken[] {
  return [...text.matchAll(tokenPattern)].map((match) => ({
    folded: foldToken(match[0]),
    start: match.index,
    end: match.index + match[0].length,
  }));
}

// Marks every token that starts an occurrence of one of the query's wanted terms.
function matchedRanges(tokens: readonly PlacedToken[], query: SearchQuery): [number, number][] {
  const folded = tokens.map((token) => token.folded);
  const ranges: [number, number][] = [];
  for (const term of query.include) {
    const length = term.tokens.length;
    for (let start = 0; start + length <= tokens.length; start += 1) {
      if (!termOccursAt(term, folded, start)) continue;
      const first = tokens[start] as PlacedToken;
      const last = tokens[start + length - 1] as PlacedToken;
      ranges.push([first.start, last.end]);
    }
  }
  return ranges.sort((left, right) => left[0] - right[0]);
}

/**
 * Cuts `width` characters of `content` around its first match of `query`, with every match in the
 * cut marked. White space (newlines included) is folded to single spaces.
 */
export function snippetOf(content: string, query: SearchQuery, width = 160): Snippet {
  const text = content.normalize('NFC').replace(/\s+/g, ' ').trim();
  const ranges = matchedRanges(placedTokens(text), query);
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, Math.min(first - Math.floor(width / 3), text.length - width));
  let end = Math.min(text.length, start + width);
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space !== -1 && space < first) start = space + 1;
  }
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start && space > (ranges[0]?.[1] ?? 0)) end = space;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const highlights = ranges
    .filter(([from, to]) => from >= start && to <= end)
    .map(([from, to]) => [from - start + prefix.length, to - start + prefix.length] as const);
  return { text: `${prefix}${text.slice(start, end)}${suffix}`, highlights };
}

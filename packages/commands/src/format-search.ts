import type { Message } from '@jido-code/core-schema';
import { printable, truncateEnd } from './display-text.js';
import { shortenPath, shortId } from './format-list.js';
import { formatRelativeTime } from './relative-time.js';

/** One matching message as a search returns it. */
export interface SearchMatchView {
  /** 1-based message number. */
  readonly message_index: number;
  readonly role: Message['role'];
  readonly timestamp: string;
  /** Text around the match, with `[start, end)` offsets of the matched words. */
  readonly snippet: { readonly text: string; readonly highlights: readonly (readonly [number, number])[] };
}

/** One matching session as a search returns it; storage's results fit as they are. */
export interface SearchResultView {
  readonly id: string;
  readonly name: string;
  readonly project_path: string;
  readonly updated_at: string;
  readonly matches: readonly SearchMatchView[];
}

/** How matched words are shown: bold or coloured on a terminal, as they are in a pipe. */
export type Highlighter = (word: string) => string;

const maxSnippetWidth = 160;

/**
 * The snippet of one match, terminal-safe (control characters replaced before highlighting, so a
 * file can never inject escape sequences), with every matched word passed through `highlight`.
 */
function renderSnippet(snippet: SearchMatchView['snippet'], highlight: Highlighter): string {
  let rendered = '';
  let position = 0;
  for (const [start, end] of snippet.highlights) {
    if (start < position) continue;
    rendered += printable(snippet.text.slice(position, start));
    rendered += highlight(printable(snippet.text.slice(start, end)));
    position = end;
  }
  return rendered + printable(snippet.text.slice(position));
}

/**
 * Search results, best first, numbered (the numbers are only for reading: the id prefix shown is
 * what `jido resume` and `jido sessions show` take):
 *
 * ```
 *   1  fix-login  3f2a9c1e  ~/code/api  2 hours ago
 *        #12 user       …the flaky login test fails on CI…
 * ```
 */
export function formatSearchResults(
  results: readonly SearchResultView[],
  now: Date,
  highlight: Highlighter = (word) => word,
): string {
  if (results.length === 0) return 'No session matches.';
  const numberWidth = String(results.length).length;
  const lines: string[] = [];
  results.forEach((result, position) => {
    const number = String(position + 1).padStart(numberWidth + 2);
    const name = truncateEnd(printable(result.name), 50);
    const project = shortenPath(printable(result.project_path));
    lines.push(
      `${number}  ${name}  ${shortId(result.id)}  ${project}  ${formatRelativeTime(result.updated_at, now)}`,
    );
    for (const match of result.matches) {
      const label = `#${match.message_index} ${match.role}`.padEnd(14);
      const snippet =
        truncateEnd(match.snippet.text, maxSnippetWidth) === match.snippet.text
          ? renderSnippet(match.snippet, highlight)
          : renderSnippet(
              { text: truncateEnd(match.snippet.text, maxSnippetWidth), highlights: [] },
              highlight,
            );
      lines.push(`${' '.repeat(numberWidth + 4)}${label} ${snippet}`);
    }
  });
  return lines.join('\n');
}

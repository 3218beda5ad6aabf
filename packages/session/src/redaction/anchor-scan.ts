/**
 * Finds which of a fixed set of ASCII strings ("anchors") occur in a text, in one pass over it
 * (Aho–Corasick over ASCII with letters folded to lower case). A text of a few KB costs a few
 * microseconds whatever the number of anchors; one `includes` per anchor costs ten times more
 * where the anchors start with common letters. Case-sensitive anchors are confirmed with a
 * `startsWith` where the folded automaton saw them.
 */
export class AnchorScanner {
  readonly #anchors: readonly string[];
  readonly #exact: readonly boolean[];
  /** `next[state * 128 + code]`: the state after reading ASCII `code` (letters folded). */
  readonly #next: Int32Array;
  /** For each state, the anchors (indexes) that end there, through its suffix links too. */
  readonly #ends: readonly (readonly number[])[];
  /** 1 for the states where some anchor ends. */
  readonly #terminal: Uint8Array;

  /** `anchors`: the strings to look for; those in `anyCase` are found in any ASCII casing. */
  constructor(anchors: readonly string[], anyCase: ReadonlySet<string>) {
    for (const anchor of anchors) {
      if (!/^[\x20-\x7e]+$/.test(anchor)) throw new Error(`An anchor must be printable ASCII: ${anchor}`);
    }
    this.#anchors = anchors;
    this.#exact = anchors.map((anchor) => !anyCase.has(anchor));
    const goto: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    for (const [index, anchor] of anchors.entries()) {
      let state = 0;
      for (const char of anchor.toLowerCase()) {
        const code = char.charCodeAt(0);
        let target = goto[state]?.get(code);
        if (target === undefined) {
          target = goto.length;
          goto.push(new Map());
          ends.push([]);
          goto[state]?.set(code, target);
        }
        state = target;
      }
      ends[state]?.push(index);
    }
    const next = new Int32Array(goto.length * 128);
    const fail = new Int32Array(goto.length);
    const queue: number[] = [];
    for (const [code, target] of goto[0] ?? []) {
      next[code] = target;
      queue.push(target);
    }
    // Breadth first, so the state a suffix link points to (shorter) has its row complete: a state
    // reads what its suffix state reads, except along its own edges. The row is copied whole (a
    // memory copy), not built code by code: that loop was most of an import's redaction time.
    for (let head = 0; head < queue.length; head++) {
      const state = queue[head] as number;
      const suffix = fail[state] as number;
      ends[state]?.push(...(ends[suffix] ?? []));
      next.copyWithin(state * 128, suffix * 128, suffix * 128 + 128);
      for (const [code, target] of goto[state] ?? []) {
        fail[target] = next[suffix * 128 + code] as number;
        next[state * 128 + code] = target;
        queue.push(target);
      }
    }
    this.#next = next;
    this.#ends = ends;
    this.#terminal = Uint8Array.from(ends, (list) => (list.length > 0 ? 1 : 0));
  }

  /** The anchors that occur in `text`. */
  scan(text: string): Set<string> {
    const found = new Set<string>();
    const next = this.#next;
    const terminal = this.#terminal;
    let state = 0;
    for (let at = 0; at < text.length; at++) {
      let code = text.charCodeAt(at);
      if (code >= 128) {
        // No anchor holds a non-ASCII character, and no rule folds one to ASCII (none uses /iu).
        state = 0;
        continue;
      }
      if (code >= 65 && code <= 90) code += 32;
      state = next[(state << 7) | code] as number;
      if (terminal[state] === 1) {
        for (const index of this.#ends[state] as readonly number[]) this.#confirm(index, text, at, found);
      }
    }
    return found;
  }

  #confirm(index: number, text: string, at: number, found: Set<string>): void {
    const anchor = this.#anchors[index] as string;
    if (found.has(anchor)) return;
    if (this.#exact[index] && !text.startsWith(anchor, at + 1 - anchor.length)) return;
    found.add(anchor);
  }
}

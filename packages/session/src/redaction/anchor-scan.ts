/**
 * Finds which of a fixed set of ASCII strings ("anchors") occur in a text, in one pass over it
 * (Aho–Corasick over ASCII with letters folded to lower case). A text of a few KB costs a few
 * microseconds whatever the number of anchors; one `includes` per anchor costs ten times more
 * where the anchors start with common letters. Case-sensitive anchors are confirmed with a
 * `startsWith` where the folded automaton saw them.
 *
 * The scan runs before each journaled message, after a wait on the disk, when its table has
 * usually left the CPU's caches; so the table is kept small (about 19 KB for the rule set's
 * anchors, against 141 KB for a plain states × 128 table of 32-bit entries) and one lookup per
 * character is all the scan does:
 * - the automaton reads character classes: one per (folded) character some anchor holds, and class
 *   0 for all others, which leads back to the start;
 * - each entry is the next state's offset in the table (no multiplication), 16-bit where it fits;
 * - the states where an anchor ends are numbered last, so one comparison tells them apart.
 */
export class AnchorScanner {
  readonly #anchors: readonly string[];
  readonly #exact: readonly boolean[];
  /** The class of each ASCII code (letters folded); 0 for a character no anchor holds. */
  readonly #classOf: Uint8Array;
  readonly #classes: number;
  /** `next[offset + class]`: the offset of the state after reading a character of that class. */
  readonly #next: Uint16Array | Uint32Array;
  /** The offset of the first state where some anchor ends; every later state is one too. */
  readonly #firstEnding: number;
  /** For each state, in table order, the anchors (indexes) that end there, suffix links included. */
  readonly #ends: readonly (readonly number[])[];

  /** `anchors`: the strings to look for; those in `anyCase` are found in any ASCII casing. */
  constructor(anchors: readonly string[], anyCase: ReadonlySet<string>) {
    for (const anchor of anchors) {
      if (!/^[\x20-\x7e]+$/.test(anchor)) throw new Error(`An anchor must be printable ASCII: ${anchor}`);
    }
    this.#anchors = anchors;
    this.#exact = anchors.map((anchor) => !anyCase.has(anchor));
    const { classOf, classes } = characterClasses(anchors);
    const automaton = buildAutomaton(anchors, classOf, classes);
    // State 0 (the start) has no anchor ending there and the sort is stable: it stays at offset 0.
    const order = [...automaton.ends.keys()].sort(
      (a, b) => Number(automaton.ends[a]?.length !== 0) - Number(automaton.ends[b]?.length !== 0),
    );
    const offsetOf = new Int32Array(order.length);
    for (const [rank, state] of order.entries()) offsetOf[state] = rank * classes;
    const size = order.length * classes;
    const next = size <= 0x10000 ? new Uint16Array(size) : new Uint32Array(size);
    for (const [rank, state] of order.entries()) {
      for (let symbol = 0; symbol < classes; symbol++) {
        next[rank * classes + symbol] = offsetOf[
          automaton.next[state * classes + symbol] as number
        ] as number;
      }
    }
    const firstEnding = order.findIndex((state) => automaton.ends[state]?.length !== 0);
    this.#classOf = classOf;
    this.#classes = classes;
    this.#next = next;
    this.#firstEnding = firstEnding === -1 ? size : firstEnding * classes;
    this.#ends = order.map((state) => automaton.ends[state] ?? []);
  }

  /** The anchors that occur in `text`. */
  scan(text: string): Set<string> {
    const found = new Set<string>();
    const next = this.#next;
    const classOf = this.#classOf;
    const firstEnding = this.#firstEnding;
    let offset = 0;
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at);
      // No anchor holds a non-ASCII character, and no rule folds one to ASCII (none uses /iu).
      offset = next[offset + (code < 128 ? (classOf[code] as number) : 0)] as number;
      if (offset >= firstEnding) {
        for (const index of this.#ends[offset / this.#classes] as readonly number[]) {
          this.#confirm(index, text, at, found);
        }
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

/** One class per character the anchors hold (an upper-case letter in its lower case's), from 1. */
function characterClasses(anchors: readonly string[]): { classOf: Uint8Array; classes: number } {
  const classOf = new Uint8Array(128);
  let classes = 1;
  for (const char of anchors.join('').toLowerCase()) {
    const code = char.charCodeAt(0);
    if (classOf[code] !== 0) continue;
    classOf[code] = classes;
    classOf[char.toUpperCase().charCodeAt(0)] = classes;
    classes += 1;
  }
  return { classOf, classes };
}

/**
 * The Aho–Corasick automaton over the classes: `next[state * classes + class]` is the next state;
 * `ends[state]` the anchors ending there, through suffix links too.
 */
function buildAutomaton(
  anchors: readonly string[],
  classOf: Uint8Array,
  classes: number,
): { next: Int32Array; ends: number[][] } {
  const goto: Map<number, number>[] = [new Map()];
  const ends: number[][] = [[]];
  for (const [index, anchor] of anchors.entries()) {
    let state = 0;
    for (const char of anchor.toLowerCase()) {
      const symbol = classOf[char.charCodeAt(0)] as number;
      let target = goto[state]?.get(symbol);
      if (target === undefined) {
        target = goto.length;
        goto.push(new Map());
        ends.push([]);
        goto[state]?.set(symbol, target);
      }
      state = target;
    }
    ends[state]?.push(index);
  }
  const next = new Int32Array(goto.length * classes);
  const fail = new Int32Array(goto.length);
  const queue: number[] = [];
  for (const [symbol, target] of goto[0] ?? []) {
    next[symbol] = target;
    queue.push(target);
  }
  // Breadth first, so the state a suffix link points to (shorter) has its row complete: a state
  // reads what its suffix state reads, except along its own edges, so the row is copied whole and
  // then its edges are set. (Class 0 stays at the start: the start's row has 0 there.)
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as number;
    const suffix = fail[state] as number;
    ends[state]?.push(...(ends[suffix] ?? []));
    next.copyWithin(state * classes, suffix * classes, suffix * classes + classes);
    for (const [symbol, target] of goto[state] ?? []) {
      fail[target] = next[suffix * classes + symbol] as number;
      next[state * classes + symbol] = target;
      queue.push(target);
    }
  }
  return { next, ends };
}

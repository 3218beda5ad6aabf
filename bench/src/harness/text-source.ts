import type { Message } from '@jido-code/core-schema';
import type { SessionFactory } from '@jido-code/test-support';

/** A deterministic pseudo-random generator (mulberry32). */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * English-like text: 20,000 made-up words drawn with a Zipf distribution (a few very common, most
 * rare), messages from 20 to 2,000 characters, log-uniformly, as chat turns are.
 */
export class TextSource {
  readonly words: string[];
  readonly #cumulative: number[];
  readonly #random: () => number;

  constructor(seed: number) {
    this.#random = generator(seed);
    const syllables = [
      'ka',
      'lo',
      'mi',
      'ser',
      'tun',
      'dra',
      've',
      'pol',
      'qui',
      'ax',
      'en',
      'bri',
      'sto',
      'fu',
    ];
    this.words = Array.from({ length: 20_000 }, (_, rank) => {
      let word = '';
      let value = rank + 7;
      do {
        word += syllables[value % syllables.length];
        value = Math.floor(value / syllables.length);
      } while (value > 0);
      return word;
    });
    let total = 0;
    this.#cumulative = this.words.map((_, rank) => {
      total += 1 / (rank + 1);
      return total;
    });
    this.#cumulative = this.#cumulative.map((value) => value / total);
  }

  word(): string {
    const target = this.#random();
    let low = 0;
    let high = this.#cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.#cumulative[middle] ?? 1) < target) low = middle + 1;
      else high = middle;
    }
    return this.words[low] ?? 'word';
  }

  message(): string {
    const length = Math.round(20 * 100 ** this.#random());
    let text = '';
    while (text.length < length) text += `${this.word()}${this.#random() < 0.08 ? '. ' : ' '}`;
    return text.slice(0, length).trim() || 'x';
  }

  /** A query of one to three words of middling frequency (ranks 20 to 2,000). */
  query(): string {
    const count = 1 + Math.floor(this.#random() * 3);
    return Array.from({ length: count }, () => this.words[20 + Math.floor(this.#random() * 1980)]).join(' ');
  }
}

export function conversationOf(
  factory: SessionFactory,
  text: TextSource,
  messagesPerSession = 100,
): Message[] {
  return Array.from({ length: messagesPerSession }, (_, index) =>
    factory.message({ role: index % 2 === 0 ? 'user' : 'assistant', content: text.message() }),
  );
}

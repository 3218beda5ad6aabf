import { createInterface, type Interface } from 'node:readline';
import type { CliIo } from '../io.js';

/** Lines remembered for arrow-up recall on a terminal. */
const historySize = 500;

/**
 * The shell's input, one line at a time, in order. On a terminal it is a readline with line
 * editing, history and a prompt; on a pipe it reads lines with no prompt and no echo. Lines typed
 * while a command runs are queued, never lost. The terminal readline can be suspended while a
 * full-screen prompt (the `/resume` picker) owns the keyboard, keeping its history.
 */
export class LineSource {
  readonly #io: CliIo;
  readonly #terminal: boolean;
  readonly #queue: string[] = [];
  #waiter: ((line: string | null) => void) | undefined;
  #interface: Interface | undefined;
  #history: string[] = [];
  #ended = false;
  #suspending = false;
  /**
   * Called when the user presses Ctrl+C on an empty line at the prompt (a terminal sends no signal
   * in raw mode). Ctrl+C on a half-typed line only clears that line.
   */
  onInterrupt: () => void = () => undefined;

  constructor(io: CliIo, terminal: boolean) {
    this.#io = io;
    this.#terminal = terminal;
    this.#attach();
  }

  /** True when reading a terminal. */
  get terminal(): boolean {
    return this.#terminal;
  }

  #attach(): void {
    const readline = createInterface({
      input: this.#io.stdin,
      ...(this.#terminal ? { output: this.#io.stdout, history: this.#history, historySize } : {}),
      terminal: this.#terminal,
      crlfDelay: Number.POSITIVE_INFINITY,
    });
    readline.on('line', (line) => this.#push(line));
    readline.on('history', (history: string[]) => {
      this.#history = history;
    });
    readline.on('SIGINT', () => {
      // As in a shell: Ctrl+C on a half-typed line drops the line; on an empty line it leaves.
      if (readline.line === '') {
        this.onInterrupt();
        return;
      }
      this.#io.stdout.write('^C\n');
      readline.write(null, { ctrl: true, name: 'e' });
      readline.write(null, { ctrl: true, name: 'u' });
      readline.prompt();
    });
    readline.on('close', () => {
      if (this.#suspending) return;
      this.#ended = true;
      this.#push(null);
    });
    this.#interface = readline;
  }

  #push(line: string | null): void {
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      waiter(line);
    } else if (line !== null) {
      this.#queue.push(line);
    }
  }

  /** The next line, or `null` at the end of input (or after {@link close}). */
  next(): Promise<string | null> {
    const queued = this.#queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.#waiter = resolve;
    });
  }

  /** Shows the prompt (terminal only). */
  prompt(text: string): void {
    if (!this.#terminal || this.#interface === undefined) return;
    this.#interface.setPrompt(text);
    this.#interface.prompt();
  }

  /** Hands the keyboard to something else until {@link resume}. */
  suspend(): void {
    if (this.#interface === undefined || this.#ended) return;
    this.#suspending = true;
    this.#interface.close();
    this.#interface = undefined;
    this.#suspending = false;
  }

  /** Takes the keyboard back after {@link suspend}. */
  resume(): void {
    if (this.#interface === undefined && !this.#ended) this.#attach();
  }

  /** Runs `work` (a full-screen prompt) with the keyboard handed over, then takes it back. */
  async lendKeyboard<T>(work: () => Promise<T>): Promise<T> {
    this.suspend();
    try {
      return await work();
    } finally {
      this.resume();
    }
  }

  /** Stops reading: pending and later {@link next} calls get `null`; queued lines are dropped. */
  close(): void {
    this.#queue.length = 0;
    this.#ended = true;
    this.#push(null);
    const readline = this.#interface;
    this.#interface = undefined;
    readline?.close();
    if (!this.#terminal) this.#io.stdin.pause();
  }
}

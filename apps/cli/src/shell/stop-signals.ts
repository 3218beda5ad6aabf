/** Why the shell stops reading: a signal, or the end of its input. */
export type StopCause = 'SIGINT' | 'SIGTERM' | 'end';

/** Where signals arrive: the process, or an emitter a test drives. */
export interface SignalSource {
  on(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/** Options of {@link StopSignals}. */
export interface StopSignalsOptions {
  /** Called once, for the first stop request while the shell runs. */
  readonly onStop: (cause: StopCause) => void;
  /**
   * Called for a second SIGINT (or later) that arrives while the open sessions are being saved: the
   * user is pressing again, so say why jido has not exited yet. A first SIGINT that arrives while
   * saving (input had already ended) needs no note: jido is already doing what it asks.
   */
  readonly onInterruptWhileClosing: () => void;
  /** Offered each SIGINT while running first; true means it was used (a streaming reply stopped). */
  readonly intercept?: () => boolean;
}

/**
 * The shell's three phases and the signals that move it between them. Running: the first SIGINT,
 * SIGTERM or end of input stops reading (once). Closing (the open sessions being saved): a SIGINT
 * does not interrupt the saves; from the second SIGINT on, the shell says so. Nothing else shares this state.
 */
export class StopSignals {
  readonly #options: StopSignalsOptions;
  #phase: 'running' | 'stopping' | 'closing' = 'running';
  #interrupts = 0;
  #source: SignalSource | undefined;
  readonly #onSigint = () => this.request('SIGINT');
  readonly #onSigterm = () => this.request('SIGTERM');

  constructor(options: StopSignalsOptions) {
    this.#options = options;
  }

  /** True once a stop was requested (or the shell is closing). */
  get stopping(): boolean {
    return this.#phase !== 'running';
  }

  /** Asks the shell to stop; see the class comment for what each phase does with it. */
  request(cause: StopCause): void {
    if (cause === 'SIGINT' && this.#phase === 'running' && this.#options.intercept?.() === true) return;
    if (cause === 'SIGINT') this.#interrupts += 1;
    if (this.#phase === 'closing') {
      if (cause === 'SIGINT' && this.#interrupts > 1) this.#options.onInterruptWhileClosing();
      return;
    }
    if (this.#phase === 'stopping') return;
    this.#phase = 'stopping';
    this.#options.onStop(cause);
  }

  /** The saves at exit begin: stop requests no longer stop anything. */
  beginClosing(): void {
    this.#phase = 'closing';
  }

  /** Starts listening for SIGINT and SIGTERM on `source`. */
  listen(source: SignalSource): void {
    this.#source = source;
    source.on('SIGINT', this.#onSigint);
    source.on('SIGTERM', this.#onSigterm);
  }

  /** Stops listening. */
  dispose(): void {
    this.#source?.off('SIGINT', this.#onSigint);
    this.#source?.off('SIGTERM', this.#onSigterm);
    this.#source = undefined;
  }
}

import { emitKeypressEvents } from 'node:readline';
import type { SessionMetadata } from '@jido-code/storage';
import type { CliIo } from '../io.js';

/** What the picker's keys do to the highlighted session; each resolves to a one-line report. */
export interface PickerActions {
  /** `d`, after `y` on the confirmation line: to the trash. */
  trash(session: SessionMetadata): Promise<string>;
  /** `r`: renames to the typed name (validated by the action; a refusal is its report). */
  rename(session: SessionMetadata, name: string): Promise<string>;
  /** `f`: forks at the last message. */
  fork(session: SessionMetadata): Promise<string>;
  /** `p`: pins the session, or unpins it when it is pinned. */
  togglePin(session: SessionMetadata): Promise<string>;
  /** The resumable sessions now, after an action. */
  relist(): Promise<readonly SessionMetadata[]>;
  /** Ids of the sessions whose messages match `words` (the full-text search), for the `/` filter. */
  matching?(words: string): Promise<ReadonlySet<string>>;
}

/** The key help, one line at the bottom. */
const pickerKeyHelp =
  '↑/↓ move · Enter resume · d trash · r rename · f fork · p pin/unpin · / filter · Esc cancel';

type Mode =
  | { readonly kind: 'list' }
  | { readonly kind: 'filter' }
  | { readonly kind: 'rename'; readonly text: string }
  | { readonly kind: 'confirm-trash' };

interface Key {
  readonly name?: string;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly sequence?: string;
}

/** Rows shown at once. */
const visibleRows = 10;

/** The picker's state and what each key does to it; it draws in place on `output`. */
class PickerState {
  sessions: SessionMetadata[];
  filter = '';
  cursor = 0;
  mode: Mode = { kind: 'list' };
  status = '';
  busy = false;
  /** Sessions whose message text matches the filter, as the search last answered for it. */
  textMatches: ReadonlySet<string> = new Set();
  #searches = 0;
  #finished = false;
  #drawnLines = 0;

  constructor(
    readonly output: CliIo['stdout'],
    initial: readonly SessionMetadata[],
    readonly label: (session: SessionMetadata) => string,
    readonly actions: PickerActions | undefined,
    /** Ends the picker with the chosen id, or `undefined` (cancelled). */
    readonly onFinish: (value: string | undefined) => void,
  ) {
    this.sessions = [...initial];
  }

  finish(value: string | undefined): void {
    this.#finished = true;
    this.onFinish(value);
  }

  /** Asks the search which sessions' messages match the filter; a later keystroke's answer wins. */
  #searchText(): void {
    const search = ++this.#searches;
    const words = this.filter.trim();
    this.textMatches = new Set();
    if (words === '' || this.actions?.matching === undefined) return;
    this.actions.matching(words).then(
      (ids) => {
        if (search !== this.#searches || this.#finished) return;
        this.textMatches = ids;
        this.draw();
      },
      // No search (an unusable index and no files to scan): the filter keeps to names and projects.
      () => undefined,
    );
  }

  /** The sessions the filter lets through, in list order. */
  shown(): SessionMetadata[] {
    const words = this.filter.toLowerCase();
    return words === ''
      ? this.sessions
      : this.sessions.filter(
          (session) => this.label(session).toLowerCase().includes(words) || this.textMatches.has(session.id),
        );
  }

  draw(): void {
    const rows = this.shown();
    this.cursor = Math.max(0, Math.min(this.cursor, rows.length - 1));
    const start = Math.max(0, Math.min(this.cursor - visibleRows + 1, rows.length - visibleRows));
    const lines = ['Resume which session?'];
    if (rows.length === 0) lines.push('  (no session matches)');
    rows.slice(start, start + visibleRows).forEach((session, offset) => {
      lines.push(`${start + offset === this.cursor ? '>' : ' '} ${this.label(session)}`);
    });
    const { mode } = this;
    if (mode.kind === 'filter' || this.filter !== '')
      lines.push(`Filter: ${this.filter}${mode.kind === 'filter' ? '_' : ''}`);
    if (mode.kind === 'rename') lines.push(`New name: ${mode.text}_ (Enter to rename, Esc to cancel)`);
    if (mode.kind === 'confirm-trash') {
      const session = rows[this.cursor];
      lines.push(
        `Move "${session === undefined ? '' : this.label(session).split(' · ')[0]}" to the trash? (y/n)`,
      );
    }
    if (this.status !== '') lines.push(this.status);
    lines.push(
      this.actions === undefined ? '↑/↓ move · Enter resume · / filter · Esc cancel' : pickerKeyHelp,
    );
    const up = this.#drawnLines > 0 ? `\u001b[${this.#drawnLines}A` : '';
    this.output.write(`${up}\r\u001b[J${lines.join('\n')}\n`);
    this.#drawnLines = lines.length;
  }

  /** Runs an action; its report becomes the status line, and the list is fetched again. */
  async act(run: () => Promise<string>): Promise<void> {
    this.busy = true;
    const highlighted = this.shown()[this.cursor]?.id;
    try {
      this.status = await run();
      this.sessions = [...((await this.actions?.relist()) ?? this.sessions)];
    } catch (error) {
      this.status = error instanceof Error ? error.message : 'The action failed.';
    }
    const again = this.shown().findIndex((session) => session.id === highlighted);
    if (again >= 0) this.cursor = again;
    this.busy = false;
    this.mode = { kind: 'list' };
    this.draw();
  }

  /** One key press, handled by the current mode. */
  onKey(text: string | undefined, key: Key | undefined): void {
    if (this.busy) return;
    const name = key?.name;
    if (key?.ctrl === true && name === 'c') {
      this.finish(undefined);
      return;
    }
    const typed =
      text !== undefined && text.length === 1 && text >= ' ' && key?.ctrl !== true ? text : undefined;
    const highlighted = this.shown()[this.cursor];
    const { mode } = this;
    if (mode.kind === 'confirm-trash') this.#confirmKey(typed, highlighted);
    else if (mode.kind === 'rename') this.#renameKey(mode.text, name, typed, highlighted);
    else if (mode.kind === 'filter') this.#filterKey(name, typed);
    else this.#listKey(name, typed, highlighted);
  }

  #confirmKey(typed: string | undefined, highlighted: SessionMetadata | undefined): void {
    const { actions } = this;
    if (typed === 'y' && highlighted !== undefined && actions !== undefined) {
      void this.act(() => actions.trash(highlighted));
      return;
    }
    this.status = 'Nothing was moved.';
    this.mode = { kind: 'list' };
    this.draw();
  }

  #renameKey(
    text: string,
    name: string | undefined,
    typed: string | undefined,
    highlighted: SessionMetadata | undefined,
  ): void {
    const { actions } = this;
    if (name === 'escape') this.mode = { kind: 'list' };
    else if (name === 'return' && highlighted !== undefined && actions !== undefined) {
      void this.act(() => actions.rename(highlighted, text));
      return;
    } else if (name === 'backspace') this.mode = { kind: 'rename', text: text.slice(0, -1) };
    else if (typed !== undefined) this.mode = { kind: 'rename', text: text + typed };
    this.draw();
  }

  #filterKey(name: string | undefined, typed: string | undefined): void {
    const before = this.filter;
    if (name === 'escape') {
      this.filter = '';
      this.mode = { kind: 'list' };
    } else if (name === 'return') this.mode = { kind: 'list' };
    else if (name === 'backspace') this.filter = this.filter.slice(0, -1);
    else if (name === 'up' || name === 'down') this.cursor += name === 'up' ? -1 : 1;
    else if (typed !== undefined) {
      this.filter += typed;
      this.cursor = 0;
    }
    if (this.filter !== before) this.#searchText();
    this.draw();
  }

  #listKey(
    name: string | undefined,
    typed: string | undefined,
    highlighted: SessionMetadata | undefined,
  ): void {
    const { actions } = this;
    this.status = '';
    switch (name) {
      case 'escape':
        this.finish(undefined);
        return;
      case 'return':
        if (highlighted !== undefined) this.finish(highlighted.id);
        else this.draw();
        return;
      case 'up':
      case 'k':
        this.cursor = Math.max(0, this.cursor - 1);
        this.draw();
        return;
      case 'down':
      case 'j':
        this.cursor += 1;
        this.draw();
        return;
    }
    if (typed === '/') this.mode = { kind: 'filter' };
    else if (actions !== undefined && highlighted !== undefined) {
      if (typed === 'd') this.mode = { kind: 'confirm-trash' };
      else if (typed === 'r') this.mode = { kind: 'rename', text: '' };
      else if (typed === 'f' || typed === 'p') {
        void this.act(() => (typed === 'f' ? actions.fork(highlighted) : actions.togglePin(highlighted)));
        return;
      }
    }
    this.draw();
  }
}

/**
 * The `/resume` picker with actions. It draws in place (moving the cursor back over its own
 * lines), so each action updates the list where it stands. Resolves to the chosen id, or
 * `undefined` on Escape or Ctrl+C.
 */
export function runActingPicker(
  io: CliIo,
  initial: readonly SessionMetadata[],
  label: (session: SessionMetadata) => string,
  actions: PickerActions | undefined,
): Promise<string | undefined> {
  const input = io.stdin as NodeJS.ReadStream;
  return new Promise((resolve) => {
    const wasRaw = input.isRaw === true;
    emitKeypressEvents(input);
    input.setRawMode?.(true);
    input.resume();
    const onKey = (text: string | undefined, key: Key | undefined) => picker.onKey(text, key);
    const picker = new PickerState(io.stdout, initial, label, actions, (value) => {
      input.off('keypress', onKey);
      input.setRawMode?.(wasRaw);
      input.pause();
      resolve(value);
    });
    input.on('keypress', onKey);
    picker.draw();
  });
}

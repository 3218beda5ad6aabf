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
  /** The resumable sessions now, after an action. */
  relist(): Promise<readonly SessionMetadata[]>;
}

/** The key help, one line at the bottom. */
const pickerKeyHelp = '↑/↓ move · Enter resume · d trash · r rename · f fork · / filter · Esc cancel';

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
  const output = io.stdout;
  let sessions = [...initial];
  let filter = '';
  let cursor = 0;
  let mode: Mode = { kind: 'list' };
  let status = '';
  let busy = false;
  let drawnLines = 0;

  const shown = () => {
    const words = filter.toLowerCase();
    return words === ''
      ? sessions
      : sessions.filter((session) => label(session).toLowerCase().includes(words));
  };
  const draw = () => {
    const rows = shown();
    cursor = Math.max(0, Math.min(cursor, rows.length - 1));
    const start = Math.max(0, Math.min(cursor - visibleRows + 1, rows.length - visibleRows));
    const lines = ['Resume which session?'];
    if (rows.length === 0) lines.push('  (no session matches)');
    rows.slice(start, start + visibleRows).forEach((session, offset) => {
      lines.push(`${start + offset === cursor ? '>' : ' '} ${label(session)}`);
    });
    if (mode.kind === 'filter' || filter !== '')
      lines.push(`Filter: ${filter}${mode.kind === 'filter' ? '_' : ''}`);
    if (mode.kind === 'rename') lines.push(`New name: ${mode.text}_ (Enter to rename, Esc to cancel)`);
    if (mode.kind === 'confirm-trash') {
      const session = rows[cursor];
      lines.push(`Move "${session === undefined ? '' : label(session).split(' · ')[0]}" to the trash? (y/n)`);
    }
    if (status !== '') lines.push(status);
    lines.push(actions === undefined ? '↑/↓ move · Enter resume · / filter · Esc cancel' : pickerKeyHelp);
    const up = drawnLines > 0 ? `\u001b[${drawnLines}A` : '';
    output.write(`${up}\r\u001b[J${lines.join('\n')}\n`);
    drawnLines = lines.length;
  };

  return new Promise((resolve) => {
    const wasRaw = input.isRaw === true;
    emitKeypressEvents(input);
    input.setRawMode?.(true);
    input.resume();
    const finish = (value: string | undefined) => {
      input.off('keypress', onKey);
      input.setRawMode?.(wasRaw);
      input.pause();
      resolve(value);
    };
    const act = async (run: () => Promise<string>) => {
      busy = true;
      const highlighted = shown()[cursor]?.id;
      try {
        status = await run();
        sessions = [...((await actions?.relist()) ?? sessions)];
      } catch (error) {
        status = error instanceof Error ? error.message : 'The action failed.';
      }
      const again = shown().findIndex((session) => session.id === highlighted);
      if (again >= 0) cursor = again;
      busy = false;
      mode = { kind: 'list' };
      draw();
    };
    const onKey = (text: string | undefined, key: Key | undefined) => {
      if (busy) return;
      const name = key?.name;
      if (key?.ctrl === true && name === 'c') return finish(undefined);
      const typed =
        text !== undefined && text.length === 1 && text >= ' ' && key?.ctrl !== true ? text : undefined;
      const highlighted = shown()[cursor];
      if (mode.kind === 'confirm-trash') {
        if (typed === 'y' && highlighted !== undefined && actions !== undefined) {
          void act(() => actions.trash(highlighted));
          return;
        }
        status = 'Nothing was moved.';
        mode = { kind: 'list' };
        return draw();
      }
      if (mode.kind === 'rename') {
        const current = mode;
        if (name === 'escape') mode = { kind: 'list' };
        else if (name === 'return' && highlighted !== undefined && actions !== undefined) {
          void act(() => actions.rename(highlighted, current.text));
          return;
        } else if (name === 'backspace') mode = { kind: 'rename', text: current.text.slice(0, -1) };
        else if (typed !== undefined) mode = { kind: 'rename', text: current.text + typed };
        return draw();
      }
      if (mode.kind === 'filter') {
        if (name === 'escape') {
          filter = '';
          mode = { kind: 'list' };
        } else if (name === 'return') mode = { kind: 'list' };
        else if (name === 'backspace') filter = filter.slice(0, -1);
        else if (name === 'up' || name === 'down') cursor += name === 'up' ? -1 : 1;
        else if (typed !== undefined) {
          filter += typed;
          cursor = 0;
        }
        return draw();
      }
      status = '';
      switch (name) {
        case 'escape':
          return finish(undefined);
        case 'return':
          if (highlighted !== undefined) return finish(highlighted.id);
          return draw();
        case 'up':
        case 'k':
          cursor = Math.max(0, cursor - 1);
          return draw();
        case 'down':
        case 'j':
          cursor += 1;
          return draw();
      }
      if (typed === '/') mode = { kind: 'filter' };
      else if (actions !== undefined && highlighted !== undefined) {
        if (typed === 'd') mode = { kind: 'confirm-trash' };
        else if (typed === 'r') mode = { kind: 'rename', text: '' };
        else if (typed === 'f') {
          void act(() => actions.fork(highlighted));
          return;
        }
      }
      draw();
    };
    input.on('keypress', onKey);
    draw();
  });
}

import type { JidoError, Message, Todo, Usage } from '@jido-code/core-schema';
import type {
  CleanupReport,
  CloseReport,
  ListingProblem,
  LiveSession,
  SessionMetadata,
} from '@jido-code/session';
import type { SearchResultView } from './format-search.js';

/** An open session as a result carries it: a plain snapshot, safe to keep after the session closes. */
export interface OpenSessionView {
  readonly id: string;
  readonly name: string;
  readonly project_path: string;
  readonly message_count: number;
  readonly todo_count: number;
  /** True for the shell's active session. */
  readonly active: boolean;
}

/** What answers in a session: the model, and whether its key is set in the environment. */
export interface ModelView {
  readonly provider: string;
  readonly model: string;
  /** True when a request can be made (the key, or `OPENAI_BASE_URL`, is set). */
  readonly ready: boolean;
  /** The environment variable that holds the key (never its value). */
  readonly variable?: string;
  /** True when the session names no model and the default for the key that is set answers. */
  readonly viaDefault: boolean;
}

/** What a command did, typed, for a terminal, a JSON printer or a test to render. */
export type Outcome =
  | {
      readonly kind: 'session.opened';
      readonly session: OpenSessionView;
      readonly resumed: boolean;
      /** What loading the saved file noted (`unsigned`, `reordered`, …), when it was resumed. */
      readonly loadWarnings?: readonly string[];
    }
  | { readonly kind: 'session.list'; readonly sessions: readonly OpenSessionView[] }
  | { readonly kind: 'session.switched'; readonly session: OpenSessionView }
  | { readonly kind: 'session.closed'; readonly report: CloseReport; readonly active?: OpenSessionView }
  | { readonly kind: 'session.renamed'; readonly session: OpenSessionView }
  | { readonly kind: 'session.saved'; readonly session: OpenSessionView; readonly bytes: number }
  | { readonly kind: 'session.pinned'; readonly session: OpenSessionView; readonly pinned: boolean }
  | {
      readonly kind: 'session.forked';
      /** The session forked from: saved, and still open. */
      readonly parent: OpenSessionView;
      readonly fork: { readonly id: string; readonly name: string };
      /** The fork holds the parent's messages 1..at. */
      readonly at: number;
      /** The fork, open and active; absent when it could not be opened (it is saved all the same). */
      readonly opened?: OpenSessionView;
      /** Why the fork was saved but not opened. */
      readonly notOpened?: JidoError;
    }
  | {
      readonly kind: 'resume.list';
      readonly sessions: readonly SessionMetadata[];
      /** Files in the sessions folder that failed to load: a listing never hides one. */
      readonly problems: readonly ListingProblem[];
      /** Ids of listed sessions waiting for their project folder, open in this shell. */
      readonly projectOpenHere: readonly string[];
    }
  | {
      readonly kind: 'resume.deleted';
      readonly id: string;
      readonly name: string;
      /** True when the deleted file was one that failed to load (its name is unknown). */
      readonly unreadable?: true;
    }
  | { readonly kind: 'resume.cleared'; readonly report: CleanupReport }
  | { readonly kind: 'todo.list'; readonly session: OpenSessionView; readonly todos: readonly Todo[] }
  | { readonly kind: 'todo.changed'; readonly session: OpenSessionView; readonly todos: readonly Todo[] }
  | { readonly kind: 'message.added'; readonly session: LiveSession; readonly message: Message }
  | {
      readonly kind: 'search.results';
      readonly results: readonly SearchResultView[];
      readonly notices: readonly string[];
    }
  | { readonly kind: 'model.shown'; readonly session: OpenSessionView; readonly model: ModelView }
  | { readonly kind: 'model.changed'; readonly session: OpenSessionView; readonly model: ModelView }
  | {
      readonly kind: 'usage.shown';
      readonly session: OpenSessionView;
      /** Replies that reported usage. */
      readonly replies: number;
      /** The session's `cumulative_usage` (empty when no reply reported any). */
      readonly total: Usage;
      /** The last reply's usage. */
      readonly last?: Usage;
    }
  /** `/retry`: the message to answer again (already in the session). */
  | { readonly kind: 'message.retry'; readonly session: LiveSession; readonly message: Message }
  | { readonly kind: 'help'; readonly text: string }
  | { readonly kind: 'quit'; readonly reports: readonly CloseReport[] }
  | { readonly kind: 'empty' };

/** The plain view of an open session. */
export function viewOf(session: LiveSession, activeId: string | undefined): OpenSessionView {
  return {
    id: session.id,
    name: session.name,
    project_path: session.projectPath,
    message_count: session.messageCount,
    todo_count: session.todos.length,
    active: session.id === activeId,
  };
}

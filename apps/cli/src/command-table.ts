import type { CommandDefinition } from './command-table/definition.js';
import {
  deleteDefinition,
  forkDefinition,
  listDefinition,
  pinDefinition,
  renameDefinition,
  showDefinition,
  unpinDefinition,
} from './command-table/session-commands.js';
import { resumeDefinition } from './command-table/shell-commands.js';
import {
  doctorDefinition,
  keysRotateDefinition,
  reindexDefinition,
  scanDefinition,
  searchDefinition,
  verifyDefinition,
} from './command-table/store-commands.js';
import { syncDefinition } from './command-table/sync-commands.js';
import {
  exportDefinition,
  importAssistantDefinition,
  importDefinition,
  migrateDefinition,
} from './command-table/transfer-commands.js';
import { cleanupDefinition, clearDefinition, trashDefinition } from './command-table/trash-commands.js';

export type { CommandDefinition, ParsedInput } from './command-table/definition.js';

/** The command groups and their help line. */
export const commandGroups: Readonly<Record<string, string>> = {
  sessions: 'list, inspect and manage saved sessions',
  keys: 'manage the signing keys',
};

/**
 * Every subcommand of `jido`, in the order `--help` lists them. A new subcommand is one entry in
 * an area file of `src/command-table/`, listed here, and one file in `src/commands/`.
 */
export const commandTable: readonly CommandDefinition[] = [
  listDefinition,
  showDefinition,
  deleteDefinition,
  pinDefinition,
  unpinDefinition,
  trashDefinition,
  renameDefinition,
  forkDefinition,
  clearDefinition,
  cleanupDefinition,
  verifyDefinition,
  exportDefinition,
  importDefinition,
  migrateDefinition,
  searchDefinition,
  reindexDefinition,
  scanDefinition,
  syncDefinition,
  importAssistantDefinition,
  keysRotateDefinition,
  doctorDefinition,
  resumeDefinition,
];

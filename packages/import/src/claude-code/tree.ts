import { stringOf } from '../lines.js';
import { countSkip, type FileReport } from '../report.js';

/** A parsed line of a Claude Code file with its line number. */
export interface ClaudeRecord {
  readonly line: number;
  readonly record: Record<string, unknown>;
}

/** The records to import: the chosen branch (root first) and, apart, the sidechain records. */
export interface ChosenBranch {
  readonly records: ClaudeRecord[];
  readonly sidechains: ClaudeRecord[];
}

const isConversation = (entry: ClaudeRecord) =>
  entry.record.type === 'user' || entry.record.type === 'assistant';
const isSidechain = (entry: ClaudeRecord) => entry.record.isSidechain === true;

/**
 * Picks the branch of the uuid/parentUuid tree that ends at the latest leaf: the last user or
 * assistant record written that is not on a sidechain (a rewind or edit appends a new branch, so
 * the last one written is the live one). The walk up follows `parentUuid`, and across a
 * compaction boundary (`parentUuid: null`) its `logicalParentUuid`. A missing parent ends the
 * walk; a cycle cannot loop because each uuid is visited once. Everything left out is counted.
 */
export function chooseBranch(
  records: readonly ClaudeRecord[],
  report: FileReport,
  includeSidechains: boolean,
): ChosenBranch {
  const byUuid = new Map<string, ClaudeRecord>();
  for (const entry of records) {
    const uuid = stringOf(entry.record.uuid);
    if (uuid === undefined) continue;
    if (byUuid.has(uuid)) countSkip(report, 'duplicate');
    else byUuid.set(uuid, entry);
  }
  const leaf = records.findLast(
    (entry) =>
      isConversation(entry) && !isSidechain(entry) && byUuid.get(stringOf(entry.record.uuid) ?? '') === entry,
  );
  const onBranch = new Set<ClaudeRecord>();
  const path: ClaudeRecord[] = [];
  for (let entry = leaf; entry && !onBranch.has(entry); ) {
    onBranch.add(entry);
    path.push(entry);
    const parent = stringOf(entry.record.parentUuid) ?? stringOf(entry.record.logicalParentUuid);
    entry = parent === undefined ? undefined : byUuid.get(parent);
  }
  path.reverse();
  const sidechains: ClaudeRecord[] = [];
  const branch: ClaudeRecord[] = [];
  for (const entry of path) {
    if (isConversation(entry) || entry.record.subtype === 'compact_boundary') branch.push(entry);
    else countSkip(report, 'bookkeeping');
  }
  for (const entry of records) {
    if (onBranch.has(entry)) continue;
    if (isSidechain(entry) && isConversation(entry)) {
      if (includeSidechains) sidechains.push(entry);
      else countSkip(report, 'sidechain');
    } else if (isConversation(entry)) {
      const uuid = stringOf(entry.record.uuid);
      if (uuid === undefined) countSkip(report, 'invalid_record');
      else if (byUuid.get(uuid) === entry) countSkip(report, 'other_branch');
    } else countSkip(report, isSidechain(entry) ? 'sidechain' : 'bookkeeping');
  }
  return { records: branch, sidechains };
}

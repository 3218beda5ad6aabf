export { appendImported, decideImport, type ImportDecision } from './decide.js';
export { defaultRoots, type SourceFile, type ToolHomes } from './discover.js';
export { geminiProjectHash } from './gemini/project.js';
export {
  type ImportItem,
  type ImportOptions,
  type ImportPlan,
  importSessions,
  planImport,
} from './import-sources.js';
export {
  type FileNotes,
  type FileReason,
  type FileReport,
  fileReasons,
  type ImportTool,
  importTools,
  type SkipReason,
  skipReasons,
} from './report.js';
export { importedSessionId } from './session-id.js';
export { cutMark } from './text.js';

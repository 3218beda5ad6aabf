export { errnoError } from './errno-error.js';
export {
  type FaultCall,
  type FaultCode,
  type FaultKind,
  type FaultLog,
  type FaultPlan,
  type FaultRule,
  type InjectedFault,
  type InjectFaultsOptions,
  injectFaults,
} from './fault-injection.js';
export { type FoundValue, findInFiles } from './find-in-files.js';
export {
  PersistenceTestCase,
  type PersistenceTestCaseHandle,
  type PersistenceTestCaseOptions,
} from './persistence-test-case.js';
export { mulberry32 } from './prng.js';
export { type SecretSample, secretCorpus, secretCorpusRules, secretCorpusSeed } from './secret-corpus.js';
export { SessionFactory, type SessionFactoryOptions, type SessionOverrides } from './session-factory.js';
export { temporaryFolder } from './temporary-folder.js';
export { type WaitForFileOptions, waitForFile } from './wait-for-file.js';
export {
  type LineInput,
  stdinLines,
  tsxCommand,
  type WorkerExit,
  WorkerProcess,
  type WorkerProcessOptions,
} from './worker-process.js';

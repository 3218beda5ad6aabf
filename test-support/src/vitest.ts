// The helpers bound to vitest's hooks. They live on `@jido-code/test-support/vitest` so that the
// main entry imports without vitest installed.
export {
  PersistenceTestCase,
  type PersistenceTestCaseHandle,
  type PersistenceTestCaseOptions,
} from './persistence-test-case.js';
export { temporaryFolder } from './temporary-folder.js';

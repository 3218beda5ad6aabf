import { join } from 'node:path';
import { PersistenceTestCase } from '@jido-code/test-support/vitest';
import { beforeEach } from 'vitest';
import { nodeFileSystem } from '../../src/fs/file-system.js';
import { JournalDirectory } from '../../src/journal/journal-directory.js';
import type { JournalSigner } from '../../src/journal/journal-signer.js';
import { JournalWriter, type JournalWriterOptions } from '../../src/journal/journal-writer.js';
import { hmacSigner, newSessionId } from './journal-test-kit.js';

/** What {@link useJournalDir} gives a test file. */
export interface JournalDirFixture {
  /** The current test's journal directory: `<home>/journal`, created 0700 before the test. */
  readonly dir: string;
  /** The signer every writer and reader of the file uses. */
  readonly signer: JournalSigner;
  /**
   * Opens a writer in {@link dir}: a new session and the real file system unless given. Throws the
   * error of a failed open, so a test that expects one calls `JournalWriter.open` itself.
   */
  openWriter(options?: Partial<Omit<JournalWriterOptions, 'dir' | 'signer'>>): Promise<JournalWriter>;
}

/**
 * The set-up the journal writer tests share: a PersistenceTestCase (a fresh home per test, removed
 * after it) whose `journal` directory is created by `JournalDirectory.ensureDir` before each test.
 * Call it once at the top of a test file.
 */
export function useJournalDir(signer: JournalSigner = hmacSigner()): JournalDirFixture {
  const testCase = PersistenceTestCase.use();
  let current: string | undefined;
  beforeEach(async () => {
    current = join(testCase.home, 'journal');
    await new JournalDirectory({ fs: nodeFileSystem, dir: current, signer }).ensureDir();
  });
  const fixture: JournalDirFixture = {
    get dir() {
      if (current === undefined) throw new Error('The journal directory exists only inside a test.');
      return current;
    },
    signer,
    async openWriter(options = {}) {
      const opened = await JournalWriter.open({
        fs: nodeFileSystem,
        sessionId: newSessionId(),
        ...options,
        dir: fixture.dir,
        signer,
      });
      if (!opened.ok) throw opened.error;
      return opened.value;
    },
  };
  return fixture;
}

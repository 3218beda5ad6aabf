import * as fs from 'node:fs';
import { promisify } from 'node:util';

/** The subset of `fs.Stats` storage relies on. */
export interface FileStats {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly nlink: number;
  readonly size: number;
  readonly mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/**
 * Every file-system call storage makes goes through this interface, descriptor-level so that
 * `O_NOFOLLOW`, `fstat` on the open descriptor and `fsync` are explicit. Tests swap it for one that
 * fails the Nth call (see test-support's `injectFaults`). Errors are Node's errno errors.
 */
export interface FileSystem {
  open(path: string, flags: number, mode?: number): Promise<number>;
  close(fd: number): Promise<void>;
  read(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number>;
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number>;
  fsync(fd: number): Promise<void>;
  fdatasync(fd: number): Promise<void>;
  fstat(fd: number): Promise<FileStats>;
  ftruncate(fd: number, length: number): Promise<void>;
  lstat(path: string): Promise<FileStats>;
  stat(path: string): Promise<FileStats>;
  rename(from: string, to: string): Promise<void>;
  link(existing: string, created: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  chmod(path: string, mode: number): Promise<void>;
}

const fsyncAsync = promisify(fs.fsync);
const fdatasyncAsync = promisify(fs.fdatasync);
const ftruncateAsync = promisify(fs.ftruncate);

/** The real file system, through Node's descriptor-level callback API. */
export const nodeFileSystem: FileSystem = {
  // Opening, reading (from the page cache, mostly), stating and closing a local file take a few
  // microseconds; handing each to the thread pool and back costs several times that, and a listing
  // or a load is a chain of them. They are done in place. Writes and syncs wait on the disk: those
  // stay in the pool.
  open: async (path, flags, mode) => fs.openSync(path, flags, mode),
  close: async (fd) => fs.closeSync(fd),
  read: async (fd, buffer, offset, length, position) => fs.readSync(fd, buffer, offset, length, position),
  write: (fd, buffer, offset, length, position) =>
    new Promise((resolve, reject) =>
      fs.write(fd, buffer, offset, length, position, (error, written) =>
        error ? reject(error) : resolve(written),
      ),
    ),
  fsync: (fd) => fsyncAsync(fd),
  fdatasync: (fd) => fdatasyncAsync(fd),
  fstat: async (fd) => fs.fstatSync(fd),
  ftruncate: (fd, length) => ftruncateAsync(fd, length),
  // A listing and a search stat every session file. On a local disk a synchronous lstat takes a
  // few microseconds, a fifth of what handing it to the thread pool and back costs (1,000 files:
  // about 3 ms against 15-20 ms of the main thread's own time), so it is done in place.
  lstat: async (path) => fs.lstatSync(path),
  stat: (path) => fs.promises.stat(path),
  rename: (from, to) => fs.promises.rename(from, to),
  link: (existing, created) => fs.promises.link(existing, created),
  unlink: (path) => fs.promises.unlink(path),
  mkdir: async (path, mode) => {
    await fs.promises.mkdir(path, { mode });
  },
  rmdir: (path) => fs.promises.rmdir(path),
  readdir: (path) => fs.promises.readdir(path),
  chmod: (path, mode) => fs.promises.chmod(path, mode),
};

/** The errno code of a Node file-system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined;
}

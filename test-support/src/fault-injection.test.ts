import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp, open, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errnoError } from './errno-error.js';
import { injectFaults } from './fault-injection.js';

/** A small fs-like adapter with one sync and a few async methods, recording what reached it. */
function makeDisk() {
  const reached: string[] = [];
  return {
    reached,
    writeSync(name: string, data: string): number {
      reached.push(`writeSync ${name}`);
      return data.length;
    },
    async write(name: string, data: string): Promise<number> {
      reached.push(`write ${name}`);
      return data.length;
    },
    async fsync(name: string): Promise<void> {
      reached.push(`fsync ${name}`);
    },
    async rename(from: string, to: string): Promise<void> {
      reached.push(`rename ${from} ${to}`);
    },
  };
}

async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

describe('errnoError', () => {
  it('is shaped like a Node fs error', () => {
    const error = errnoError('ENOSPC', 'write');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('ENOSPC: injected fault, write');
    expect(error.code).toBe('ENOSPC');
    expect(error.syscall).toBe('write');
    expect(error.errno).toBe(constants.errno.ENOSPC);
    expect(Object.hasOwn(error, 'path')).toBe(false);
  });

  it('takes a path and leaves errno out for codes the OS does not know', () => {
    const error = errnoError('EWEIRD', 'open', '/tmp/x');
    expect(error.message).toBe("EWEIRD: injected fault, open, '/tmp/x'");
    expect(error.path).toBe('/tmp/x');
    expect(error.errno).toBeUndefined();
  });

  it.each(['ENOSPC', 'EIO', 'EACCES', 'EDQUOT', 'EMFILE', 'EROFS', 'EPERM', 'ENOENT'])(
    'knows the errno of %s',
    (code) => {
      expect(errnoError(code, 'x').errno).toBe((constants.errno as Record<string, number>)[code]);
    },
  );
});

describe('injectFaults', () => {
  it('fails exactly the nth call of a method, and only that method', async () => {
    const disk = makeDisk();
    const faulty = injectFaults(disk, [{ method: 'write', code: 'ENOSPC', nth: 3 }]);
    const results = [];
    for (let call = 1; call <= 5; call++) results.push(await outcome(faulty.write(`f${call}`, 'data')));
    expect(results).toEqual(['ok', 'ok', 'ENOSPC', 'ok', 'ok']);
    expect(await outcome(faulty.fsync('f'))).toBe('ok');
    expect(disk.reached).not.toContain('write f3');
    expect(faulty.faults.injected).toEqual([{ method: 'write', call: 3, code: 'ENOSPC', kind: 'error' }]);
    expect(faulty.faults.callCount('write')).toBe(5);
    expect(faulty.faults.callCount('fsync')).toBe(1);
    expect(faulty.faults.calls[2]).toEqual({
      method: 'write',
      call: 3,
      injected: { code: 'ENOSPC', kind: 'error' },
    });
  });

  it('fails the first call by default, once', async () => {
    const faulty = injectFaults(makeDisk(), [{ method: 'fsync', code: 'EIO' }]);
    expect(await outcome(faulty.fsync('a'))).toBe('EIO');
    expect(await outcome(faulty.fsync('a'))).toBe('ok');
  });

  it('fails `times` consecutive calls from the nth', async () => {
    const faulty = injectFaults(makeDisk(), [{ method: 'write', code: 'EIO', nth: 2, times: 2 }]);
    const results = [];
    for (let call = 1; call <= 5; call++) results.push(await outcome(faulty.write('f', 'x')));
    expect(results).toEqual(['ok', 'EIO', 'EIO', 'ok', 'ok']);
  });

  it("keeps failing with 'always' until healed", async () => {
    const disk = makeDisk();
    const faulty = injectFaults(disk, [{ method: 'rename', code: 'EROFS', times: 'always' }]);
    for (let call = 0; call < 20; call++) expect(await outcome(faulty.rename('a', 'b'))).toBe('EROFS');
    expect(disk.reached).toEqual([]);
    expect(faulty.faults.healed).toBe(false);
    faulty.faults.heal();
    expect(faulty.faults.healed).toBe(true);
    expect(await outcome(faulty.rename('a', 'b'))).toBe('ok');
    expect(disk.reached).toEqual(['rename a b']);
    expect(faulty.faults.injected).toHaveLength(20);
    expect(faulty.faults.callCount('rename')).toBe(21);
  });

  it('throws from sync functions and rejects from async ones', () => {
    const faulty = injectFaults(makeDisk(), [
      { method: 'writeSync', code: 'EACCES' },
      { method: 'write', code: 'EDQUOT' },
    ]);
    expect(() => faulty.writeSync('a', 'x')).toThrow('EACCES: injected fault, writeSync');
    const pending = faulty.write('a', 'x');
    expect(pending).toBeInstanceOf(Promise);
    return expect(pending).rejects.toMatchObject({
      code: 'EDQUOT',
      syscall: 'write',
      errno: constants.errno.EDQUOT,
    });
  });

  it('rejects instead of throwing when told a plain function is async', async () => {
    const target = { read: (): Promise<string> => Promise.resolve('data') };
    const byOption = injectFaults(target, [{ method: 'read', code: 'EIO' }], { async: true });
    await expect(byOption.read()).rejects.toMatchObject({ code: 'EIO' });
    const byRule = injectFaults(target, [{ method: 'read', code: 'EIO', async: true }]);
    await expect(byRule.read()).rejects.toMatchObject({ code: 'EIO' });
    const guessed = injectFaults(target, [{ method: 'read', code: 'EIO' }]);
    expect(() => guessed.read()).toThrow(/EIO/);
  });

  it('matches methods by pattern, counting calls per method', async () => {
    const faulty = injectFaults(makeDisk(), [
      { method: /^(write|fsync)$/, code: 'EMFILE', nth: 2, times: 'always' },
    ]);
    expect(await outcome(faulty.write('a', 'x'))).toBe('ok');
    expect(await outcome(faulty.fsync('a'))).toBe('ok');
    expect(await outcome(faulty.write('a', 'x'))).toBe('EMFILE');
    expect(await outcome(faulty.fsync('a'))).toBe('EMFILE');
    expect(await outcome(faulty.rename('a', 'b'))).toBe('ok');
  });

  it('tries rules in order and takes any errno code', async () => {
    const faulty = injectFaults(makeDisk(), [
      { method: 'write', code: 'ENOSPC', nth: 1 },
      { method: 'write', code: 'ECUSTOM', nth: 1, times: 'always' },
    ]);
    expect(await outcome(faulty.write('a', 'x'))).toBe('ENOSPC');
    expect(await outcome(faulty.write('a', 'x'))).toBe('ECUSTOM');
  });

  it('lets non-function properties and `this` through', () => {
    class Store {
      readonly label = 'store';
      #secret = 41;
      answer(): number {
        return this.#secret + 1;
      }
    }
    const faulty = injectFaults(new Store(), []);
    expect(faulty.label).toBe('store');
    expect(faulty.answer()).toBe(42);
    expect(faulty.answer).toBe(faulty.answer);
    expect('faults' in faulty).toBe(true);
  });

  it('reads the plan live', async () => {
    const plan: { method: string; code: string }[] = [];
    const faulty = injectFaults(makeDisk(), plan);
    expect(await outcome(faulty.fsync('a'))).toBe('ok');
    plan.push({ method: 'fsync', code: 'EIO' });
    expect(await outcome(faulty.fsync('a'))).toBe('EIO');
  });

  it('refuses malformed rules', () => {
    expect(() => injectFaults(makeDisk(), [{ method: 'write', code: 'EIO', nth: 0 }])).toThrow(RangeError);
    expect(() => injectFaults(makeDisk(), [{ method: 'write', code: 'EIO', times: -1 }])).toThrow(/times/);
    expect(() => injectFaults(makeDisk(), [{ method: 'write', code: '' }])).toThrow(/code/);
  });
});

describe('shortWrite', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(await realpath(tmpdir()), 'faults-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('halves the length of (fd, buffer, offset, length, position), rounding up', () => {
    const path = join(dir, 'short.bin');
    const fd = openSync(path, 'w');
    try {
      const fs = injectFaults({ writeSync }, [{ method: 'writeSync', code: 'EIO', shortWrite: true }]);
      const buffer = Buffer.from('abcdefghi');
      expect(fs.writeSync(fd, buffer, 0, 9, 0)).toBe(5);
      expect(fs.writeSync(fd, buffer, 5, 4, 5)).toBe(4);
      expect(fs.faults.injected).toEqual([
        { method: 'writeSync', call: 1, code: 'EIO', kind: 'short-write' },
      ]);
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(path, 'utf8')).toBe('abcdefghi');
  });

  it('halves FileHandle#write(buffer, offset, length) and leaves the caller to write the rest', async () => {
    const handle = await open(join(dir, 'handle.bin'), 'w');
    try {
      const faulty = injectFaults(handle, [{ method: 'write', code: 'EIO', shortWrite: true, times: 2 }]);
      const buffer = Buffer.from('0123456789');
      let offset = 0;
      const written: number[] = [];
      while (offset < buffer.length) {
        const { bytesWritten } = await faulty.write(buffer, offset, buffer.length - offset, offset);
        written.push(bytesWritten);
        offset += bytesWritten;
      }
      expect(written).toEqual([5, 3, 2]);
    } finally {
      await handle.close();
    }
    expect(await readFile(join(dir, 'handle.bin'), 'utf8')).toBe('0123456789');
  });

  it('halves the options length, a buffer without length, and a string', async () => {
    const seen: unknown[][] = [];
    const target = {
      write: (...args: unknown[]) => {
        seen.push(args);
        return 0;
      },
    };
    const faulty = injectFaults(target, [
      { method: 'write', code: 'EIO', shortWrite: true, times: 'always' },
    ]);
    faulty.write(3, Buffer.alloc(8), { offset: 0, length: 7 });
    faulty.write(3, Buffer.alloc(8), 2);
    faulty.write(3, new Uint8Array(5));
    faulty.write(3, 'hello world');
    expect(seen[0]?.[2]).toEqual({ offset: 0, length: 4 });
    expect(seen[1]?.[3]).toBe(3);
    expect(seen[2]?.[1]).toEqual(new Uint8Array(3));
    expect(seen[3]?.[1]).toBe('hello ');
  });

  it('tears a writeFile in half', async () => {
    const path = join(dir, 'torn.json');
    const fs = injectFaults({ writeFile }, [
      { method: 'writeFile', code: 'EIO', shortWrite: true, times: 3 },
    ]);
    await fs.writeFile(path, '{"id":"0123456789"}'); // 19 characters: 10 are written
    expect(await readFile(path, 'utf8')).toBe('{"id":"012');
    await fs.writeFile(path, 'abcdef', 'utf8');
    expect(await readFile(path, 'utf8')).toBe('abc');
    await fs.writeFile(path, Buffer.from('0123'), { mode: 0o600 });
    expect(await readFile(path, 'utf8')).toBe('01');
  });

  it('fails with the code when there is no data to halve', async () => {
    const faulty = injectFaults(makeDisk(), [{ method: 'fsync', code: 'EIO', shortWrite: true }]);
    expect(await outcome(faulty.fsync(7 as unknown as string))).toBe('EIO');
    expect(faulty.faults.injected[0]?.kind).toBe('error');
  });
});

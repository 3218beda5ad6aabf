import { describe, expect, it } from 'vitest';
import { SessionRegistry } from './registry.js';

const session = (id: string, projectPath: string) => ({ id, name: id, projectPath });

describe('SessionRegistry', () => {
  it('refuses more than maxOpen sessions, counting reservations in flight', () => {
    const registry = new SessionRegistry(2);
    const first = registry.reserve('a', '/p/a');
    const second = registry.reserve('b', '/p/b');
    expect(first.ok && second.ok).toBe(true);
    const third = registry.reserve('c', '/p/c');
    expect(third.ok).toBe(false);
    if (!third.ok) {
      expect(third.error.code).toBe('session_limit_reached');
      expect(third.error.details).toMatchObject({ current: 2, max: 2 });
    }
  });

  it('allows one open session per project path, and frees it on release or removal', () => {
    const registry = new SessionRegistry(10);
    const reservation = registry.reserve('a', '/p/shared');
    if (!reservation.ok) throw reservation.error;
    const clash = registry.reserve('b', '/p/shared');
    expect(!clash.ok && clash.error.code).toBe('project_already_open');
    registry.add(session('a', '/p/shared'), reservation.value);
    const stillClash = registry.reserve('b', '/p/shared');
    expect(!stillClash.ok && stillClash.error.code).toBe('project_already_open');
    expect(registry.remove('a')).toBe(true);
    expect(registry.reserve('b', '/p/shared').ok).toBe(true);
  });

  it('lets a fork share the project path of the open session it was made from, and no other', () => {
    const registry = new SessionRegistry(10);
    const parent = registry.reserve('a', '/p/shared');
    if (!parent.ok) throw parent.error;
    const early = registry.reserve('fork', '/p/shared', 'a');
    expect(!early.ok && early.error.code).toBe('project_already_open');
    registry.add(session('a', '/p/shared'), parent.value);
    const stranger = registry.reserve('c', '/p/shared', 'b');
    expect(!stranger.ok && stranger.error.code).toBe('project_already_open');
    const elsewhere = registry.reserve('d', '/p/other', 'a');
    expect(elsewhere.ok).toBe(true);
    const fork = registry.reserve('fork', '/p/shared', 'a');
    expect(fork.ok).toBe(true);
  });

  it('finds sessions by id and project path and reports what is active', () => {
    const registry = new SessionRegistry(10);
    for (const [id, path] of [
      ['a', '/p/a'],
      ['b', '/p/b'],
    ] as const) {
      const reservation = registry.reserve(id, path);
      if (!reservation.ok) throw reservation.error;
      registry.add(session(id, path), reservation.value);
    }
    expect(registry.get('b')?.projectPath).toBe('/p/b');
    expect(registry.byProjectPath('/p/a')?.id).toBe('a');
    expect(registry.list().map((entry) => entry.id)).toEqual(['a', 'b']);
    expect(registry.active()).toEqual({ ids: new Set(['a', 'b']), projectPaths: new Set(['/p/a', '/p/b']) });
    const again = registry.reserve('a', '/p/other');
    expect(!again.ok && again.error.code).toBe('already_open_elsewhere');
  });
});

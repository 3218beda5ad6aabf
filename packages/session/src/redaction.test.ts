import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as redaction from './redaction.js';

describe('@jido-code/session/redaction', () => {
  it('offers the main entry’s own redaction functions and classes, not copies', () => {
    const everything = new Map(Object.entries(main));
    const offered = Object.entries(redaction);
    expect(offered.length).toBeGreaterThan(5);
    for (const [name, value] of offered) expect(value, name).toBe(everything.get(name));
  });

  it('leaves the session runtime out', () => {
    expect(Object.keys(redaction)).not.toContain('SessionManager');
    expect(Object.keys(main)).toContain('SessionManager');
  });
});

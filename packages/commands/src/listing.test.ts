import { describe, expect, it } from 'vitest';
import * as main from './index.js';
import * as listing from './listing.js';

describe('@jido-code/commands/listing', () => {
  it('offers the main entry’s own functions, not copies', () => {
    const everything = new Map(Object.entries(main));
    const offered = Object.entries(listing);
    expect(offered.length).toBeGreaterThan(5);
    for (const [name, value] of offered) expect(value, name).toBe(everything.get(name));
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnchorScanner } from './anchor-scan.js';

const foldAscii = (text: string) => text.replace(/[A-Z]/g, (char) => char.toLowerCase());

describe('AnchorScanner', () => {
  it('finds exactly the anchors that includes() finds, exact or in any ASCII casing', () => {
    const anchor = fc.string({ unit: fc.constantFrom(...'aAbB_-:/.x'), minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(
        fc.uniqueArray(anchor, { minLength: 1, maxLength: 12 }),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.string({ unit: fc.constantFrom(...'aAbB_-:/.xé\u212a'), maxLength: 60 }),
        (anchors, caseless, text) => {
          const anyCase = new Set(anchors.filter((_, index) => caseless[index]));
          const expected = anchors.filter((entry) =>
            anyCase.has(entry) ? foldAscii(text).includes(foldAscii(entry)) : text.includes(entry),
          );
          expect([...new AnchorScanner(anchors, anyCase).scan(text)].sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds them with a table too large for 16-bit entries (thousands of anchors)', () => {
    const random = fc.sample(
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnop_-.:'), minLength: 6, maxLength: 9 }),
      {
        numRuns: 4000,
        seed: 7,
      },
    );
    const anchors = [...new Set(random)];
    const text = fc.sample(
      fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopQ_-.: '), minLength: 20_000, maxLength: 20_000 }),
      {
        numRuns: 1,
        seed: 11,
      },
    )[0] as string;
    const planted = `${text}${anchors[0]} ${anchors[1]?.toUpperCase()}`;
    const expected = anchors.filter((anchor) => planted.includes(anchor));
    expect(expected).toContain(anchors[0]);
    expect([...new AnchorScanner(anchors, new Set()).scan(planted)].sort()).toEqual(expected.sort());
  });

  it('refuses an anchor it could not find', () => {
    expect(() => new AnchorScanner(['clé'], new Set())).toThrow(/printable ASCII/);
  });
});

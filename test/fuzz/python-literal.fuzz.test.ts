import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pyRepr, pyStr, splitPyList } from '../../src/core/share/python-literal';
import { FUZZ_SEED, hostileString, withinTime } from './arbitraries';
import { askCPython, HAVE_PYTHON } from './cpython';
import { decodePyLiteral } from './py-literal-decoder';

// Generous for a loaded 2-core machine; the adversarial inputs below catch superlinear work.
const TIME_MS = 1_000;
const params = { seed: FUZZ_SEED, numRuns: 1000 };

describe('pyStr / pyRepr (fuzz)', () => {
  it('round-trips: decoding repr(s) with an independent Python decoder gives s back', () => {
    fc.assert(
      fc.property(hostileString(60), (s) => {
        const repr = withinTime(TIME_MS, () => pyStr(s));
        expect(decodePyLiteral(repr)).toBe(s);
      }),
      params,
    );
  });

  it('chooses quotes as CPython does: double only when there is \' and no "', () => {
    fc.assert(
      fc.property(hostileString(30), (s) => {
        const quote = pyStr(s)[0];
        expect(quote).toBe(s.includes("'") && !s.includes('"') ? '"' : "'");
        expect(pyStr(s).at(-1)).toBe(quote);
      }),
      params,
    );
  });

  it('never writes a raw control character, a lone surrogate or a line separator', () => {
    fc.assert(
      fc.property(hostileString(60), (s) => {
        // Controls, DEL, C1 controls, U+2028/9, lone surrogates: escaped in any Python repr.
        expect(pyStr(s)).not.toMatch(
          /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
        );
      }),
      params,
    );
  });

  it('round-trips lists, nested lists and dicts of strings', () => {
    const literal = fc.oneof(
      fc.array(hostileString(20), { maxLength: 8 }),
      fc.array(fc.tuple(hostileString(10), hostileString(10)), { maxLength: 6 }),
      fc.dictionary(hostileString(10), hostileString(10), { maxKeys: 6 }),
    );
    fc.assert(
      fc.property(literal, (value) => {
        const repr = withinTime(TIME_MS, () => pyRepr(value as never));
        expect(decodePyLiteral(repr)).toEqual(value);
      }),
      params,
    );
  });

  it.skipIf(!HAVE_PYTHON)('matches CPython repr() on 2,000 generated strings', () => {
    const strings = fc.sample(hostileString(40), { seed: FUZZ_SEED, numRuns: 2000 });
    const facts = askCPython(strings);
    let compared = 0;
    strings.forEach((s, i) => {
      // Unicode versions differ (this Node vs this Python): skip code points Python
      // does not know yet, whose printability it cannot judge the same way.
      if (facts[i]!.unassigned) return;
      compared++;
      expect(pyStr(s), JSON.stringify(s)).toBe(facts[i]!.repr);
    });
    expect(compared).toBeGreaterThan(1000);
  });
});

describe('splitPyList (fuzz)', () => {
  it('splits repr(list) into the reprs of its items', () => {
    const items = fc.oneof(
      fc.array(hostileString(20), { maxLength: 10 }),
      fc.array(fc.tuple(hostileString(8), hostileString(8)), { maxLength: 5 }),
    );
    fc.assert(
      fc.property(items, (list) => {
        const parts = withinTime(TIME_MS, () => splitPyList(pyRepr(list as never)));
        expect(parts).toEqual(list.map((item) => pyRepr(item as never)));
      }),
      params,
    );
  });

  it('never throws and stays fast on arbitrary text', () => {
    fc.assert(
      fc.property(hostileString(200), (text) => {
        const parts = withinTime(TIME_MS, () => splitPyList(`[${text}]`));
        expect(parts === undefined || Array.isArray(parts)).toBe(true);
        withinTime(TIME_MS, () => splitPyList(text));
      }),
      params,
    );
  });

  it('stays linear on 200 kB adversarial inputs', () => {
    for (const text of [
      `[${'['.repeat(200_000)}`,
      `[${"'\\".repeat(100_000)}]`,
      `[${"'a', ".repeat(40_000)}]`,
      `[${'"'.repeat(200_000)}]`,
    ]) {
      withinTime(2_000, () => splitPyList(text));
    }
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isInvalidResponse } from '../../src/core/share/decoding';
import { extractBlock, extractSql, extractSr, pyStrip } from '../../src/core/share/extract';
import { FUZZ_SEED, hostileString, withinTime } from './arbitraries';
import { askCPython, HAVE_PYTHON } from './cpython';

// Generous for a loaded 2-core machine; the adversarial inputs below catch superlinear work.
const TIME_MS = 1_000;
const params = { seed: FUZZ_SEED, numRuns: 1000 };

/** Model-answer-like text: fragments of fences, keywords, SR and noise. */
const answer = fc
  .array(
    fc.oneof(
      hostileString(30),
      fc.constantFrom(
        '```SR\n',
        '```sqlite\n',
        '```sql\n',
        '```\n',
        '\n```',
        'df1 = df.where(',
        '\n\nsqlite\n',
        '   \n',
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(''));

describe('block extraction (fuzz)', () => {
  it('never throws, stays fast, and returns a stripped substring of the answer', () => {
    fc.assert(
      fc.property(answer, (text) => {
        const sr = withinTime(TIME_MS, () => extractSr(text));
        const sql = withinTime(TIME_MS, () => extractSql(text));
        withinTime(TIME_MS, () => isInvalidResponse(text));
        expect(text.includes(sr)).toBe(true);
        expect(pyStrip(sr)).toBe(sr);
        expect(text.includes(sql)).toBe(true);
      }),
      params,
    );
  });

  it('extracts exactly the stripped body of a well-formed first block', () => {
    const noFence = hostileString(40).filter((s) => !s.includes('```'));
    // The body must not form a fence with the closing one (a body ending in ` would).
    const body = noFence.filter((s) => `${s}\`\`\``.indexOf('```') === s.length);
    fc.assert(
      fc.property(noFence, body, hostileString(40), (before, body, after) => {
        const text = `${before}\`\`\`SR${body}\`\`\`${after}`;
        expect(extractSr(text)).toBe(pyStrip(body));
        expect(extractBlock(text, 'SR')).toBe(pyStrip(body));
      }),
      params,
    );
  });

  it('pyStrip is idempotent and removes only blanks from the ends', () => {
    fc.assert(
      fc.property(hostileString(60), (s) => {
        const stripped = withinTime(TIME_MS, () => pyStrip(s));
        expect(pyStrip(stripped)).toBe(stripped);
        const at = s.indexOf(stripped);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(pyStrip(s.slice(0, at))).toBe('');
        expect(pyStrip(s.slice(at + stripped.length))).toBe('');
      }),
      params,
    );
  });

  it('stays linear on 200 kB adversarial answers', () => {
    for (const text of [
      `x${' '.repeat(200_000)}x`,
      `x${'\u3000\x1c'.repeat(100_000)}x`,
      '```SR'.repeat(40_000),
      '```'.repeat(70_000),
      '\n\nsqlite\n'.repeat(25_000),
      `\`\`\`SR\n${'df1 = df1.where(\n'.repeat(12_000)}`,
    ]) {
      withinTime(2_000, () => extractSr(text));
      withinTime(2_000, () => extractSql(text));
      withinTime(2_000, () => isInvalidResponse(text));
    }
  });

  it.skipIf(!HAVE_PYTHON)(
    'matches CPython (strip, the SR regex, the SQL rule) on 2,000 answers',
    () => {
      const texts = fc.sample(answer, { seed: FUZZ_SEED, numRuns: 2000 });
      const facts = askCPython(texts);
      texts.forEach((text, i) => {
        const f = facts[i]!;
        expect(pyStrip(text), JSON.stringify(text)).toBe(f.strip);
        expect(extractSr(text), JSON.stringify(text)).toBe(f.sr);
        expect(extractSql(text), JSON.stringify(text)).toBe(f.sql);
      });
    },
  );
});

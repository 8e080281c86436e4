import fc from 'fast-check';

/** The seed of every property (override with FUZZ_SEED to explore). */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20250611);

/** Characters that stress quoting, escaping, stripping and fences. */
const tricky = fc.constantFrom(
  "'",
  '"',
  '\\',
  '`',
  '```',
  '```SR',
  '```sqlite',
  '\n\nsqlite\n',
  '[',
  ']',
  '{',
  '}',
  ',',
  '.',
  ' ',
  '\t',
  '\n',
  '\r',
  '\x00',
  '\x1c',
  '\x7f',
  '\x85',
  '\xa0',
  '\u2028',
  '\u200b',
  '\ufeff',
  '\u3000',
  'é',
  '名',
  '🙂',
  '{question}',
);

/** One UTF-16 unit anywhere in 0..0xFFFF (lone surrogates included). */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n));

/** Any code point (astral ones as surrogate pairs). */
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((n) => (n >= 0xd800 && n <= 0xdfff ? String.fromCharCode(n) : String.fromCodePoint(n)));

/** A string mixing ASCII, tricky characters, any code points and lone surrogates. */
export function hostileString(maxLength = 40): fc.Arbitrary<string> {
  return fc.string({
    unit: fc.oneof(
      { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
      { weight: 3, arbitrary: tricky },
      { weight: 2, arbitrary: anyCodePoint },
      { weight: 1, arbitrary: anyUnit },
    ),
    maxLength,
  });
}

/** Runs `fn` and fails when it takes longer than `limitMs` (the fuzz time bound). */
export function withinTime<T>(limitMs: number, fn: () => T): T {
  const started = performance.now();
  const value = fn();
  const took = performance.now() - started;
  if (took > limitMs) throw new Error(`took ${took.toFixed(0)} ms, over the ${limitMs} ms bound`);
  return value;
}

/**
 * A small decoder of the Python literals SHARE writes into prompts (str, list, dict of
 * str), written for the tests from the Python language reference, independently of
 * `src/core/share/python-literal.ts`: it is the oracle the round-trip properties use.
 * It is strict: raw control characters and escapes CPython's repr never writes are errors.
 */
export type PyLiteral = string | PyLiteral[] | { [key: string]: string };

export class PyDecodeError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  t: '\t',
  n: '\n',
  r: '\r',
};

const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

class Decoder {
  i = 0;
  constructor(readonly src: string) {}

  fail(what: string): never {
    throw new PyDecodeError(`${what} at ${this.i}`);
  }

  skipSpaces(): void {
    while (this.src[this.i] === ' ') this.i++;
  }

  value(): PyLiteral {
    this.skipSpaces();
    const ch = this.src[this.i];
    if (ch === "'" || ch === '"') return this.string();
    if (ch === '[') return this.list();
    if (ch === '{') return this.dict();
    return this.fail(`unexpected ${JSON.stringify(ch)}`);
  }

  string(): string {
    const quote = this.src[this.i++]!;
    let out = '';
    for (;;) {
      if (this.i >= this.src.length) this.fail('unterminated string');
      const ch = this.src[this.i++]!;
      if (ch === quote) return out;
      if (ch === '\\') {
        const e = this.src[this.i++] ?? this.fail('dangling backslash');
        if (e in SIMPLE_ESCAPES) {
          out += SIMPLE_ESCAPES[e];
        } else if (e in HEX_ESCAPES) {
          const digits = this.src.slice(this.i, this.i + HEX_ESCAPES[e]!);
          if (!/^[0-9a-f]+$/.test(digits) || digits.length !== HEX_ESCAPES[e]) {
            this.fail(`bad \\${e} escape`);
          }
          this.i += digits.length;
          const cp = Number.parseInt(digits, 16);
          if (cp > 0x10ffff) this.fail('code point out of range');
          // Lone surrogates come back as single UTF-16 units, as Python keeps them.
          out += cp <= 0xffff ? String.fromCharCode(cp) : String.fromCodePoint(cp);
        } else {
          this.fail(`escape \\${e} that repr never writes`);
        }
        continue;
      }
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code === 0x7f) this.fail(`raw control character ${code}`);
      out += ch;
    }
  }

  list(): PyLiteral[] {
    this.i++;
    const items: PyLiteral[] = [];
    this.skipSpaces();
    if (this.src[this.i] === ']') {
      this.i++;
      return items;
    }
    for (;;) {
      items.push(this.value());
      this.skipSpaces();
      const ch = this.src[this.i++];
      if (ch === ']') return items;
      if (ch !== ',') this.fail('expected , or ]');
    }
  }

  dict(): { [key: string]: string } {
    this.i++;
    const out: { [key: string]: string } = {};
    this.skipSpaces();
    if (this.src[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.skipSpaces();
      const key = this.string();
      this.skipSpaces();
      if (this.src[this.i++] !== ':') this.fail('expected :');
      this.skipSpaces();
      // defineProperty, so a key named "__proto__" stays a key (as in a Python dict).
      Object.defineProperty(out, key, {
        value: this.string(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpaces();
      const ch = this.src[this.i++];
      if (ch === '}') return out;
      if (ch !== ',') this.fail('expected , or }');
    }
  }
}

/** Decodes one Python literal that spans all of `src`. */
export function decodePyLiteral(src: string): PyLiteral {
  const d = new Decoder(src);
  const value = d.value();
  if (d.i !== src.length) d.fail('trailing text');
  return value;
}

import { describe, expect, it } from 'vitest';
import { pyJsonDumps } from './py-json';

describe('pyJsonDumps (Python json.dumps / json.dump layout)', () => {
  it('writes one line with ", " and ": " and ASCII escapes', () => {
    // Expected texts are what CPython 3.11 json.dumps prints for the same values.
    expect(pyJsonDumps({ idx: 0, prompt: 'é\n"x"\t\x01\x7f', response: '😀' })).toBe(
      '{"idx": 0, "prompt": "\\u00e9\\n\\"x\\"\\t\\u0001\\u007f", "response": "\\ud83d\\ude00"}',
    );
  });
  it('indents like json.dump(indent=n), empty containers inline', () => {
    expect(pyJsonDumps({ '0': [], '1': ['a'], '2': {} }, 4)).toBe(
      '{\n    "0": [],\n    "1": [\n        "a"\n    ],\n    "2": {}\n}',
    );
    expect(pyJsonDumps({ summary: { a: 1 }, per_entry: [{ idx: 0 }] }, 2)).toBe(
      '{\n  "summary": {\n    "a": 1\n  },\n  "per_entry": [\n    {\n      "idx": 0\n    }\n  ]\n}',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { extractBlock, extractSql, extractSr, pyStrip } from './extract';

describe('extractSr', () => {
  it('takes the first SR block, trimmed', () => {
    expect(extractSr('x\n```SR\n  a = 1\n```\n```SR\nb\n```')).toBe('a = 1');
  });

  it("gives '' without a block, with an unclosed block, or with an empty one", () => {
    expect(extractSr('df1 = df.where(...)')).toBe('');
    expect(extractSr('```SR\nnever closed')).toBe('');
    expect(extractSr('```SR\n \n```')).toBe('');
  });

  it('matches the tag as a plain prefix, like the reference regex', () => {
    expect(extractSr('```SRX\n```')).toBe('X');
    expect(extractSr('``` SR\nmasked\n```')).toBe('');
  });
});

describe('extractSql', () => {
  it('prefers sqlite, then sql, then a bare fence', () => {
    expect(extractSql('```sql\nB\n```\n```sqlite\nA\n```')).toBe('A');
    expect(extractSql('```sql\nB\n```')).toBe('B');
    expect(extractSql('```\nC\n```')).toBe('C');
  });

  it('reproduces the empty-sqlite-block quirk: the sql rule then reads "ite"', () => {
    expect(extractSql('```sqlite\n```')).toBe('ite');
  });

  it('falls back to the text after the last "\\n\\nsqlite\\n"', () => {
    expect(extractSql('intro\n\nsqlite\nSELECT 1')).toBe('SELECT 1');
    expect(extractSql('SELECT 2')).toBe('SELECT 2');
  });

  it('extractBlock with an empty keyword reads a bare fence', () => {
    expect(extractBlock('```\nX\n```', '')).toBe('X');
  });
});

describe('pyStrip', () => {
  it("strips what Python's str.isspace() accepts", () => {
    expect(pyStrip('\x1c\x1d a \x85\u3000')).toBe('a');
    expect(pyStrip('\ufeffa\ufeff')).toBe('\ufeffa\ufeff');
  });
});

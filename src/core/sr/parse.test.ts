import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, SPIDER2SQLITE } from '../../../test/paths';
import { extractSr } from '../share/extract';
import type { SrExpr } from './ast';
import { srNames } from './lexer';
import { parseSr } from './parse';

const calls = (e: SrExpr): string[] => {
  if (e.kind !== 'call') return [];
  const inner = e.callee.kind === 'member' ? calls(e.callee.object) : [];
  const name =
    e.callee.kind === 'member' ? e.callee.name : e.callee.kind === 'name' ? e.callee.name : '?';
  return [...inner, name];
};

describe('parseSr', () => {
  it('reads chained calls, keyword arguments, flags and aliases', () => {
    const { program, errors } = parseSr(
      "df1 = df.where(element = schools.County, filter = 'Alameda').orderby(by = t.x, desc).limit(5)\n" +
        'res = df1.select(schools.School as name, count(distinct(t.id)))',
    );
    expect(errors).toEqual([]);
    expect(program.statements.map((s) => s.targets)).toEqual([['df1'], ['res']]);
    expect(calls(program.statements[0]!.value)).toEqual(['where', 'orderby', 'limit']);
    const select = program.statements[1]!.value;
    expect(select.kind === 'call' && select.args[0]!.value.kind).toBe('alias');
  });

  it('continues a step over lines inside brackets and before a leading dot', () => {
    const { program, errors } = parseSr(
      'res = df.select(a,\n    b)\n    .distinct()\n\ntmp_res1 = res.count()',
    );
    expect(errors).toEqual([]);
    expect(program.statements).toHaveLength(2);
    expect(calls(program.statements[0]!.value)).toEqual(['select', 'distinct']);
  });

  it('reads set operations, dict-style agg, lists and nested expressions', () => {
    const { errors } = parseSr(
      [
        'df3 = df1.union(df2).intersect(df4).except(df5)',
        "df6 = df3.groupby(t.a).agg({'t.b': 'sum'}, total = sum(t.c * (1 - t.d)))",
        "res = df6.where(element = t.a, filter = 'in', value = ['x', 'y']).select(-t.a / 2, not t.b)",
      ].join('\n'),
    );
    expect(errors).toEqual([]);
  });

  it('reads unquoted column names with spaces when the schema names them, and heuristically otherwise', () => {
    const sr = 'res = df.select(max(divide(frpm.Free Meal Count (K-12), frpm.Enrollment (K-12))))';
    for (const options of [
      {},
      { names: srNames(['Free Meal Count (K-12)', 'Enrollment (K-12)']) },
    ]) {
      const { program, errors } = parseSr(sr, options);
      expect(errors).toEqual([]);
      const divide = JSON.stringify(program.statements[0]!.value);
      expect(divide).toContain('"name":"Free Meal Count (K-12)"');
      expect(divide).toContain('"name":"Enrollment (K-12)"');
    }
  });

  it('supplies closing brackets missing at the end of a step, and reports real errors with the line', () => {
    const closed = parseSr('res = df.select(avg(t.a)');
    expect(closed.errors).toEqual([]);
    expect(closed.closedBrackets).toBe(1);
    const bad = parseSr('df1 = df.where(element = t.a)\nres = df1.select(a b c))');
    expect(bad.errors).toHaveLength(1);
    expect(bad.errors[0]!.line).toBe(2);
    expect(bad.program.statements).toHaveLength(1);
    expect(parseSr('').errors[0]!.message).toMatch(/empty/);
  });

  it('keeps SQL fragments inside call arguments as raw text', () => {
    const { program, errors, rawFragments } = parseSr(
      "res = df.select(case when t.a > 1 then 'x' else 'y' end, t.b)",
    );
    expect(errors).toEqual([]);
    expect(rawFragments).toBe(1);
    const call = program.statements[0]!.value;
    expect(call.kind === 'call' && call.args[0]!.value.kind).toBe('raw');
  });
});

function recordedSrs(dir: string): string[] {
  const out: string[] = [];
  for (const file of [
    'original_traj.jsonl',
    'masked_traj.jsonl',
    'intermediate_traj.jsonl',
    'final_traj.jsonl',
  ]) {
    let text: string;
    try {
      text = readFileSync(join(dir, file), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const sr = extractSr((JSON.parse(line) as { response: string }).response);
      if (sr) out.push(sr);
    }
  }
  return out;
}

describe('parseSr on every recorded trajectory', () => {
  it.each([
    ['bird-dev-even', BIRD_DEV_EVEN, 0.99],
    ['spider2sqlite', SPIDER2SQLITE, 0.95],
  ])('%s: parses at least the target share', (_name, dir, target) => {
    const srs = recordedSrs(dir);
    const ok = srs.filter((sr) => parseSr(sr).errors.length === 0).length;
    expect(srs.length).toBeGreaterThan(400);
    expect(ok / srs.length).toBeGreaterThanOrEqual(target);
  });
});

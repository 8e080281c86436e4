import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, SPIDER2SQLITE } from '../../../test/paths';
import { spiderDev } from '../../../test/support/spider';
import { loadReferenceDir } from '../../cli/reference-dir';
import { stripBirdSuffix } from '../share/item';
import { lcsLength } from '../sr/compare';
import { diffSql, type SqlDiffPart } from './diff';
import { tokenizeSql } from './tokens';

const changed = (parts: SqlDiffPart[]) =>
  parts.filter((p) => p.op !== 'same').map((p) => `${p.op === 'added' ? '+' : '-'}${p.text}`);

/** A token's meaning as the diff compares it, written independently of diff.ts. */
const key = (t: { kind: string; text: string }) =>
  t.kind === 'word' || t.kind === 'ident'
    ? `name ${t.text.replace(/^["`[](.*)["`\]]$/s, '$1').toLowerCase()}`
    : `${t.kind} ${t.text}`;
const keys = (sql: string) => tokenizeSql(sql).map(key);

/** Pairs of SQL a user could see before and after a correction, from the recorded runs. */
function corrections(): { before: string; after: string }[] {
  const out: { before: string; after: string }[] = [];
  const spider2 = loadReferenceDir(SPIDER2SQLITE);
  for (const item of spider2.items) {
    const after = spider2.finalSql?.get(item.idx);
    if (after) out.push({ before: stripBirdSuffix(item.initialSql), after });
  }
  // bird-dev-even has no final SQL: GPT-4o's SQL against the gold SQL of the same question.
  const bird = loadReferenceDir(BIRD_DEV_EVEN);
  const gold = JSON.parse(readFileSync(join(BIRD_DEV_EVEN, 'dev.json'), 'utf8')) as {
    SQL: string;
  }[];
  for (const item of bird.items) {
    out.push({ before: stripBirdSuffix(item.initialSql), after: gold[item.idx]!.SQL });
  }
  return out;
}

describe('diffSql', () => {
  it('shows only what changed, whole numbers and operators, in the new layout', () => {
    expect(
      changed(
        diffSql(
          'SELECT a FROM t WHERE x <= 10 AND y = 1.5',
          'SELECT a FROM t WHERE x >= 10 AND y = 1.25',
        ),
      ),
    ).toEqual(['-<=', '+>=', '-1.5', '+1.25']);
    expect(diffSql('SELECT a, b FROM t', 'SELECT a\nFROM t\nORDER BY b DESC')).toEqual([
      { op: 'same', text: 'SELECT a' },
      { op: 'removed', text: ', b' },
      { op: 'same', text: '\nFROM t\n' },
      { op: 'added', text: 'ORDER BY b DESC' },
    ]);
    // A string is data: its case is a change; a name's case and quotes are not.
    expect(
      changed(diffSql(`SELECT "Name" FROM t WHERE c = 'x'`, `select name from T where C = 'X'`)),
    ).toEqual([`-'x'`, `+'X'`]);
    expect(diffSql('', 'SELECT 1')).toEqual([{ op: 'added', text: 'SELECT 1' }]);
    expect(diffSql('SELECT 1 -- old', 'SELECT 1 /* new */')).toEqual([
      { op: 'same', text: 'SELECT 1 /* new */' },
    ]);
  });

  it('finds no change in a query only reformatted (every Spider dev gold query)', () => {
    const dev = spiderDev();
    for (const { query } of dev) {
      // One token per line, words upper-cased, comments added: the same query.
      const reformatted = tokenizeSql(query)
        .map((t) => (t.kind === 'word' ? t.text.toUpperCase() : t.text))
        .join(' /* - */\n  ');
      expect(changed(diffSql(query, reformatted)), query).toEqual([]);
    }
    expect(dev.length).toBe(562);
  });

  it('changes exactly the one token changed in a query (every Spider dev gold query)', () => {
    let checked = 0;
    for (const { query } of spiderDev()) {
      const tokens = tokenizeSql(query);
      const k = tokens.findLastIndex((t) => t.kind === 'number' || t.kind === 'string');
      if (k < 0) continue;
      const t = tokens[k]!;
      const other = t.kind === 'number' ? `${t.text}0` : `'not ${t.text.slice(1)}`;
      const changedQuery = query.slice(0, t.start) + other + query.slice(t.end);
      expect(changed(diffSql(query, changedQuery)), query).toEqual([`-${t.text}`, `+${other}`]);
      checked++;
    }
    expect(checked).toBeGreaterThan(250);
  });

  it('gives back the new SQL exactly and the old one token by token (recorded corrections)', () => {
    const pairs = corrections();
    expect(pairs.length).toBeGreaterThan(850);
    let kept = 0;
    let common = 0;
    for (const { before, after } of pairs) {
      const parts = diffSql(before, after);
      // The new SQL exactly, spacing and comments included.
      expect(
        parts
          .filter((p) => p.op !== 'removed')
          .map((p) => p.text)
          .join(''),
      ).toBe(after);
      // The old SQL's tokens, in order: what stayed and what was removed.
      expect(
        parts.filter((p) => p.op !== 'added').flatMap((p) => keys(p.text)),
        before,
      ).toEqual(keys(before));
      kept += parts.filter((p) => p.op === 'same').flatMap((p) => keys(p.text)).length;
      common += lcsLength(keys(before), keys(after));
    }
    // The cleanup gives up scraps of common tokens (a comma, an AS amid a rewritten clause),
    // not most of what the queries share: 68 % of a longest common subsequence is kept here.
    expect(kept).toBeLessThanOrEqual(common);
    expect(kept / common).toBeGreaterThan(0.6);
  });
});

/** Lines of SR trimmed, blank ones dropped: the unit of `exact` comparison. */
export function trimmedLines(sr: string): string[] {
  return sr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** True when two SRs are equal after trimming lines and dropping blank ones. */
export function srExactlyEqual(a: string, b: string): boolean {
  const x = trimmedLines(a);
  const y = trimmedLines(b);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/**
 * A step in comparable form, normalizing only how a step is spelled, never what it says:
 * whitespace outside string literals removed, backticks around names dropped (`t.\`A B\``
 * and `t.A B` are the same name), and a double-quoted string without a single quote in it
 * written with single quotes (`"x"` = `'x'`). Nothing else: case, keyword spellings,
 * argument order, call forms and the dfN/tmp_resN variable names count as differences.
 */
export function normalizeStep(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'" || c === '"') {
      let literal = c;
      let j = i + 1;
      for (; j < line.length; j++) {
        const d = line[j]!;
        literal += d;
        if (d === '\\') literal += line[++j] ?? '';
        else if (d === c) break;
      }
      i = j;
      const body = literal.slice(1, literal.endsWith(c) && literal.length > 1 ? -1 : undefined);
      out +=
        c === '"' && !body.includes("'") && literal.endsWith('"') && literal.length > 1
          ? `'${body}'`
          : literal;
    } else if (c !== '`' && !/\s/.test(c)) out += c;
  }
  return out;
}

/** True when two SRs have the same steps in the same order, compared as `normalizeStep` does. */
export function sameSteps(a: string, b: string): boolean {
  const x = trimmedLines(a).map(normalizeStep);
  const y = trimmedLines(b).map(normalizeStep);
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/** Length of the longest common subsequence of two sequences. */
export function lcsLength<T>(a: readonly T[], b: readonly T[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  let curr = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      curr[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, curr[j - 1]!);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[b.length]!;
}

/** Step-wise similarity of two SRs: 2·LCS/(|a|+|b|) over normalized non-blank lines (1 when both are empty). */
export function stepSimilarity(a: string, b: string): number {
  const x = trimmedLines(a).map(normalizeStep);
  const y = trimmedLines(b).map(normalizeStep);
  if (x.length + y.length === 0) return 1;
  return (2 * lcsLength(x, y)) / (x.length + y.length);
}

/** One line of a step-wise diff: kept in both, only in `a` (removed), or only in `b` (added). */
export interface StepDiffLine {
  op: 'same' | 'removed' | 'added';
  line: string;
}

/** A step-wise diff of two SRs (LCS over normalized lines), for showing what changed. */
export function diffSteps(a: string, b: string): StepDiffLine[] {
  const x = trimmedLines(a);
  const y = trimmedLines(b);
  const nx = x.map(normalizeStep);
  const ny = y.map(normalizeStep);
  const table: number[][] = Array.from({ length: x.length + 1 }, () =>
    new Array<number>(y.length + 1).fill(0),
  );
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      table[i]![j] =
        nx[i] === ny[j]
          ? table[i + 1]![j + 1]! + 1
          : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const out: StepDiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < x.length && j < y.length) {
    if (nx[i] === ny[j]) {
      out.push({ op: 'same', line: y[j]! });
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) out.push({ op: 'removed', line: x[i++]! });
    else out.push({ op: 'added', line: y[j++]! });
  }
  while (i < x.length) out.push({ op: 'removed', line: x[i++]! });
  while (j < y.length) out.push({ op: 'added', line: y[j++]! });
  return out;
}

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const curr = [i];
    for (let j = 1; j <= y.length; j++) {
      curr[j] = Math.min(
        prev[j]! + 1,
        curr[j - 1]! + 1,
        prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    prev = curr;
  }
  return prev[y.length]!;
}

/**
 * Names close to `name` by edit distance (at most a third of its length, at least 2), or
 * containing it / contained in it; best first, at most `limit`.
 */
export function suggestNames(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const target = name.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c)) continue;
    seen.add(c);
    const d = editDistance(name, c);
    const lc = c.toLowerCase();
    const within = d <= Math.max(2, Math.floor(name.length / 3));
    const contains =
      target.length >= 3 && (lc.includes(target) || target.includes(lc)) && lc.length >= 3;
    if (within || contains) scored.push({ name: c, score: within ? d : d + 10 });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, limit).map((s) => s.name);
}

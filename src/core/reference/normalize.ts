import { splitPyList } from '../share/python-literal';

// Lines whose list literal the reference built from a Python set (arbitrary order).
const SET_ORDERED_LINE = /^(schema|highlighted_schema) = (\[.*\])$/;
const DESCRIPTION_BLOCK = /```column description\n([\s\S]*?)\n```/;

/**
 * Puts the set-ordered parts of a prompt in a canonical order so two prompts compare
 * exactly except for Python set order: the items of `schema = [...]` and
 * `highlighted_schema = [...]` literals, and the lines of the column-description block.
 */
export function normalizeSetOrder(prompt: string): string {
  const lines = prompt.split('\n').map((line) => {
    const m = SET_ORDERED_LINE.exec(line);
    if (!m) return line;
    const items = splitPyList(m[2]!);
    return items ? `${m[1]} = [${items.sort().join(', ')}]` : line;
  });
  return lines.join('\n').replace(DESCRIPTION_BLOCK, (_whole, body: string) => {
    const sorted = body.split('\n').sort().join('\n');
    return '```column description\n' + sorted + '\n```';
  });
}

/** Compares two lists as multisets. */
export function sameMultiset(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const x = [...a].sort();
  const y = [...b].sort();
  return x.every((v, i) => v === y[i]);
}

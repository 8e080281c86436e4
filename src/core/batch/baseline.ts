import { DatasetError } from '../eval/dataset';

/**
 * Reads the initial SQL to correct, by item index, raw as the reference uses it: a JSON
 * object `{"0": "SQL\t----- bird -----\tdb_id", …}` (values kept whole, suffix included),
 * or text with one SQL per line (the part before the first tab).
 */
export function parseBaseline(text: string, file = 'baseline'): Map<number, string> {
  const out = new Map<number, string>();
  if (text.trimStart().startsWith('{')) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`${file} is not valid JSON: ${(error as Error).message}`);
    }
    if (data === null || typeof data !== 'object' || Array.isArray(data)) {
      throw new DatasetError(`${file} must map item indices to SQL`);
    }
    for (const [key, value] of Object.entries(data)) {
      const idx = Number(key);
      if (!Number.isInteger(idx) || idx < 0)
        throw new DatasetError(`${file}: key "${key}" is not an item index`);
      if (typeof value !== 'string')
        throw new DatasetError(`${file}: the SQL of "${key}" is not a string`);
      out.set(idx, value);
    }
    return out;
  }
  const lines = text.split(/\r\n|\r|\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  lines.forEach((line, idx) => {
    out.set(idx, line.split('\t')[0]!);
  });
  return out;
}

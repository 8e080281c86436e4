/**
 * JSON text exactly as Python's `json.dumps(value)` / `json.dump(value, f, indent=n)` writes
 * it (ensure_ascii on, `", "` and `": "` separators, or one item per line when indented),
 * so files we write compare byte for byte with the reference pipeline's.
 */
export type PyJson = null | boolean | number | string | PyJson[] | { [key: string]: PyJson };

function pyString(s: string): string {
  // JSON.stringify escapes like Python except for non-ASCII, which Python writes as \uXXXX.
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Python's `json.dumps(value)` (or with `indent`). */
export function pyJsonDumps(value: PyJson, indent?: number): string {
  const write = (v: PyJson, depth: number): string => {
    if (v === null) return 'null';
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (typeof v === 'number') return String(v);
    if (typeof v === 'string') return pyString(v);
    const entries: string[] = Array.isArray(v)
      ? v.map((x) => write(x, depth + 1))
      : Object.entries(v).map(([k, x]) => `${pyString(k)}: ${write(x, depth + 1)}`);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    if (indent === undefined) return open + entries.join(', ') + close;
    const pad = ' '.repeat(indent * (depth + 1));
    const end = ' '.repeat(indent * depth);
    return `${open}\n${pad}${entries.join(`,\n${pad}`)}\n${end}${close}`;
  };
  return write(value, 0);
}

import { spawnSync } from 'node:child_process';

/** True when a `python3` runs here (the CPython differential tests need one). */
export const HAVE_PYTHON = (() => {
  const r = spawnSync('python3', ['-c', 'import sys; print(sys.version_info[0])'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  return r.status === 0 && r.stdout.trim() === '3';
})();

/** What CPython says about one string. */
export interface CPythonFacts {
  repr: string;
  strip: string;
  /** The reference's `re.search(r"```SR(.*?)```", s, re.DOTALL)` group, stripped, or ''. */
  sr: string;
  /** The reference's SQL post-processing of a generator answer. */
  sql: string;
  /** The string holds a code point this Python's Unicode database calls unassigned. */
  unassigned: boolean;
}

// Run as one batch: JSON in (lone surrogates survive as \\ud8xx escapes), JSON out.
const SCRIPT = `
import json, re, sys, unicodedata
def sql_of(s):
    for kw in ["sqlite", "sql", ""]:
        m = re.search(r"\`\`\`" + kw + r"(.*?)\`\`\`", s, re.DOTALL)
        if m and m.group(1).strip():
            return m.group(1).strip()
    return s.split("\\n\\nsqlite\\n")[-1]
out = []
for s in json.load(sys.stdin):
    m = re.search(r"\`\`\`SR(.*?)\`\`\`", s, re.DOTALL)
    out.append({
        "repr": repr(s),
        "strip": s.strip(),
        "sr": m.group(1).strip() if m else "",
        "sql": sql_of(s),
        "unassigned": any(unicodedata.category(c) == "Cn" for c in s),
    })
sys.stdout.write(json.dumps(out))
`;

/** Asks CPython (`python3`) for repr, strip and the SR regex of each string, in one run. */
export function askCPython(strings: readonly string[]): CPythonFacts[] {
  const r = spawnSync('python3', ['-c', SCRIPT], {
    input: JSON.stringify(strings),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as CPythonFacts[];
}

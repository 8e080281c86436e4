/**
 * Extracts the first fenced block tagged `keyword` (```` ```SR ... ``` ````): the text
 * between the tag and the next fence, trimmed; '' when there is none. Like the reference's
 * `re.search(r"```SR(.*?)```", s, re.DOTALL)`, the tag is matched as a plain prefix, so
 * "```SRX" also opens a block whose content starts with "X".
 */
export function extractBlock(response: string, keyword: string): string {
  const open = response.indexOf('```' + keyword);
  if (open < 0) return '';
  const start = open + 3 + keyword.length;
  const close = response.indexOf('```', start);
  if (close < 0) return '';
  return pyStrip(response.slice(start, close));
}

/** The SR of a BAM/SAM/LOM response (the first ```` ```SR ```` block), or ''. */
export function extractSr(response: string): string {
  return extractBlock(response, 'SR');
}

/**
 * The SQL of a generator response, as the reference post-processes it: the first
 * ```` ```sqlite ````, then ```` ```sql ````, then bare ```` ``` ```` block with non-empty
 * content; failing all, the raw text after the last "\n\nsqlite\n".
 */
export function extractSql(response: string): string {
  for (const keyword of ['sqlite', 'sql', '']) {
    const sql = extractBlock(response, keyword);
    if (sql) return sql;
  }
  const parts = response.split('\n\nsqlite\n');
  return parts[parts.length - 1]!;
}

// Python's str.strip() strips what str.isspace() accepts, which differs from JavaScript's
// trim(): it includes \x1c-\x1f and \x85, and excludes U+FEFF.
const PY_SPACE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

/**
 * Python's `str.strip()`. Scans from both ends instead of using a `[…]+$` regex, which
 * backtracks quadratically over long inner runs of blanks (a degenerate model answer).
 */
export function pyStrip(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && PY_SPACE.test(s[start]!)) start++;
  while (end > start && PY_SPACE.test(s[end - 1]!)) end--;
  return s.slice(start, end);
}

import type { Schema } from '../../core/schema/schema';
import type { ValueCheck } from '../../core/sql/validate';
import type { AppAnalysis } from '../../core/sr/analyze-for-app';

type Analyzer = Pick<typeof import('../../core/sr/analyze-for-app'), 'analyzeForApp'> &
  Pick<typeof import('../../core/sql/validate'), 'valueHintsAsync'>;

let analyzer: Promise<Analyzer> | undefined;

/** Loads the SQL parser (WebAssembly) and the analysis on first use; later calls share it. */
export function loadAnalyzer(): Promise<Analyzer> {
  analyzer ??= Promise.all([
    import('../../core/sql/parse'),
    import('../../core/sr/analyze-for-app'),
    import('../../core/sql/validate'),
  ]).then(async ([{ initSqlParser }, { analyzeForApp }, { valueHintsAsync }]) => {
    await initSqlParser();
    return { analyzeForApp, valueHintsAsync };
  });
  return analyzer;
}

/** Looks values up in the database: true, false, or null where it cannot tell. */
export type Lookup = (checks: ValueCheck[]) => Promise<(boolean | null)[]>;

/**
 * The SQL being typed, checked against the open database's schema and turned into its
 * action trajectory, without any model: shortly after each edit (a pause in typing), so the
 * checks follow the text without running on every keystroke. With a `lookup`, string
 * literals are then looked up in the data (value hints); answers are kept per database.
 */
export class SqlCheckState {
  analysis = $state<AppAnalysis | undefined>();
  /** Why there is no analysis (e.g. the parser failed to load). */
  error = $state<string | undefined>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;
  private known = new Map<string, boolean>();
  private knownFor: Schema | undefined;

  /** Analyses `sql` after `delayMs` unless another call comes first. */
  schedule(sql: string, schema: Schema | undefined, lookup?: Lookup, delayMs = 200): void {
    clearTimeout(this.timer);
    const id = ++this.latest;
    if (!sql.trim() || !schema) {
      this.analysis = undefined;
      this.error = undefined;
      return;
    }
    this.timer = setTimeout(() => void this.analyse(id, sql, schema, lookup), delayMs);
  }

  private async analyse(id: number, sql: string, schema: Schema, lookup?: Lookup): Promise<void> {
    let tools: Analyzer;
    try {
      tools = await loadAnalyzer();
    } catch (error) {
      if (id !== this.latest) return;
      this.analysis = undefined;
      this.error = `The SQL checks are not available: ${(error as Error).message}`;
      return;
    }
    if (id !== this.latest) return;
    const analysis = tools.analyzeForApp(sql, schema);
    this.analysis = analysis;
    this.error = undefined;
    if (!lookup || analysis.syntaxError) return;
    try {
      const valueHints = await tools.valueHintsAsync(sql, schema, (checks) =>
        this.cachedLookup(schema, checks, lookup),
      );
      if (id === this.latest && valueHints.length) this.analysis = { ...analysis, valueHints };
    } catch {
      // The data could not be asked (e.g. the worker restarted): the checks above stand.
    }
  }

  private async cachedLookup(
    schema: Schema,
    checks: ValueCheck[],
    lookup: Lookup,
  ): Promise<(boolean | null)[]> {
    if (this.knownFor !== schema) {
      this.known.clear();
      this.knownFor = schema;
    }
    const key = (c: ValueCheck) => JSON.stringify([c.table, c.column, c.value]);
    const asking = checks.filter((c) => !this.known.has(key(c)));
    const answers = asking.length ? await lookup(asking) : [];
    const now = new Map<string, boolean | null>();
    asking.forEach((c, n) => {
      const answer = answers[n] ?? null;
      now.set(key(c), answer);
      // "Cannot tell" (time ran out, a long table) is asked again next time: not kept.
      if (answer !== null) this.known.set(key(c), answer);
    });
    return checks.map((c) => this.known.get(key(c)) ?? now.get(key(c)) ?? null);
  }
}

export const sqlCheck = new SqlCheckState();

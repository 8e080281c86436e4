import type { Schema } from '../../core/schema/schema';
import type { AppAnalysis } from '../../core/sr/analyze-for-app';

/** Loads the SQL parser (WebAssembly) and the analysis on first use; later calls share it. */
let analyzer: Promise<typeof import('../../core/sr/analyze-for-app').analyzeForApp> | undefined;
export function loadAnalyzer(): Promise<
  typeof import('../../core/sr/analyze-for-app').analyzeForApp
> {
  analyzer ??= Promise.all([
    import('../../core/sql/parse'),
    import('../../core/sr/analyze-for-app'),
  ]).then(async ([{ initSqlParser }, { analyzeForApp }]) => {
    await initSqlParser();
    return analyzeForApp;
  });
  return analyzer;
}

/**
 * The SQL being typed, checked against the open database's schema and turned into its
 * action trajectory, without any model: shortly after each edit (a pause in typing), so the
 * checks follow the text without running on every keystroke.
 */
export class SqlCheckState {
  analysis = $state<AppAnalysis | undefined>();
  /** Why there is no analysis (e.g. the parser failed to load). */
  error = $state<string | undefined>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private latest = 0;

  /** Analyses `sql` after `delayMs` unless another call comes first. */
  schedule(sql: string, schema: Schema | undefined, delayMs = 200): void {
    clearTimeout(this.timer);
    const id = ++this.latest;
    if (!sql.trim() || !schema) {
      this.analysis = undefined;
      this.error = undefined;
      return;
    }
    this.timer = setTimeout(() => {
      loadAnalyzer().then(
        (analyze) => {
          if (id !== this.latest) return;
          this.analysis = analyze(sql, schema);
          this.error = undefined;
        },
        (error: unknown) => {
          if (id !== this.latest) return;
          this.analysis = undefined;
          this.error = `The SQL checks are not available: ${(error as Error).message}`;
        },
      );
    }, delayMs);
  }
}

export const sqlCheck = new SqlCheckState();

import type { AppAnalysis } from '../../core/sr/analyze-for-app';
import { type DemoQuestion, type DemoSet, fetchDemoDatabase, fetchDemoSet } from '../db/demo';
import type { RowsView } from '../state/correction.svelte';
import { type DatabaseState, database } from '../state/database.svelte';
import { loadAnalyzer } from '../state/sql-check.svelte';

/** Where the demo is: nothing yet, loading the set and database, ready, or unavailable. */
export type DemoStatus = 'idle' | 'loading' | 'ready' | 'error';

/**
 * The static demo: the demo database and its questions with deliberately wrong SQL, shown
 * without any model: the wrong SQL's trajectory and schema problems (computed exactly), and
 * the rows of the wrong and the correct SQL, executed read-only in the sql.js worker.
 */
export class DemoState {
  status = $state<DemoStatus>('idle');
  error = $state<string | undefined>();
  set = $state<DemoSet | undefined>();
  chosen = $state<DemoQuestion | undefined>();
  analysis = $state<AppAnalysis | undefined>();
  wrongRows = $state<RowsView | undefined>();
  correctRows = $state<RowsView | undefined>();

  constructor(private readonly db: DatabaseState) {}

  /** The demo database's file name (its id, which the SHARE prompts call it). */
  get dbFileName(): string | undefined {
    return this.set ? `${this.set.dbId}.sqlite` : undefined;
  }

  /** Fetches the demo set and opens the demo database (kept like a picked file). */
  async start(): Promise<void> {
    if (this.status === 'loading') return;
    this.status = 'loading';
    this.error = undefined;
    try {
      const set = await fetchDemoSet();
      this.set = set;
      if (this.db.name !== `${set.dbId}.sqlite` || this.db.status !== 'open') {
        await this.db.openBytes(await fetchDemoDatabase(set), `${set.dbId}.sqlite`, true);
        if (this.db.status !== 'open') throw new Error(this.db.error ?? 'it did not open');
      }
      this.status = 'ready';
    } catch (error) {
      this.status = 'error';
      this.error = `The demo is not available here: ${(error as Error).message}`;
    }
  }

  /** Shows one question: analysis of the wrong SQL, then the rows of both. */
  async choose(id: string): Promise<void> {
    const question = this.set?.questions.find((q) => q.id === id);
    this.chosen = question;
    this.analysis = undefined;
    this.wrongRows = undefined;
    this.correctRows = undefined;
    if (!question || !this.db.schema) return;
    const schema = this.db.schema;
    const { analyzeForApp } = await loadAnalyzer();
    if (this.chosen !== question) return;
    this.analysis = analyzeForApp(question.wrongSql, schema);
    await this.rows(question.wrongSql, (v) => {
      if (this.chosen === question) this.wrongRows = v;
    });
    if (question.correctSql) {
      const sql = question.correctSql;
      await this.rows(sql, (v) => {
        if (this.chosen === question) this.correctRows = v;
      });
    }
  }

  private async rows(sql: string, set: (v: RowsView) => void): Promise<void> {
    set({ state: 'running' });
    try {
      set({ state: 'done', result: await this.db.query(sql) });
    } catch (error) {
      set({ state: 'error', message: (error as Error).message });
    }
  }
}

export const demo = new DemoState(database);

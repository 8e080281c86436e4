import { createStore, get, set } from 'idb-keyval';
import type { CorrectionResult } from '../../core/share/pipeline';
import type { StageName } from '../../core/share/stages';
import {
  type CorrectionState,
  correction,
  type RowsView,
  type StageView,
} from '../state/correction.svelte';
import { type DatabaseState, database } from '../state/database.svelte';
import { clearCorrection } from './clear';

/** What is kept of the user's work between visits (in IndexedDB, never sent anywhere). */
export interface SavedSession {
  inputs: { question: string; evidence: string; sql: string };
  /** The last finished (or failed, or cancelled) correction. */
  last?: {
    ranWith: NonNullable<CorrectionState['ranWith']>;
    stages: Record<StageName, StageView>;
    result?: CorrectionResult;
    error?: string;
    cancelled: boolean;
    initialRows?: RowsView;
    finalRows?: RowsView;
  };
  savedAt: string;
}

const store = createStore('share-web-session', 'session');
const KEY = 'current';
const SAVE_DELAY_MS = 300;

/**
 * Keeps the question, evidence, SQL and last correction across reloads and crashes: saved
 * shortly after each edit and when a correction ends, restored at start.
 */
export class SessionKeeper {
  restoredFrom = $state<string | undefined>();
  error = $state<string | undefined>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watching = false;

  constructor(
    private readonly state: CorrectionState,
    private readonly db: DatabaseState,
  ) {}

  /** Restores the saved session (fields the user already typed in win), then keeps saving. */
  async restore(): Promise<void> {
    try {
      const saved = (await get(KEY, store)) as SavedSession | undefined;
      if (saved?.inputs) {
        const c = this.state;
        if (!c.question && !c.sql && !c.evidence) {
          c.question = saved.inputs.question ?? '';
          c.evidence = saved.inputs.evidence ?? '';
          c.sql = saved.inputs.sql ?? '';
        }
        if (saved.last && !c.ranWith && !c.running) {
          c.stages = saved.last.stages;
          c.result = saved.last.result;
          c.ranWith = saved.last.ranWith;
          c.error = saved.last.error;
          c.cancelled = saved.last.cancelled;
          c.initialRows = saved.last.initialRows;
          c.finalRows = saved.last.finalRows;
        }
        this.restoredFrom = saved.savedAt;
      }
    } catch (error) {
      this.error = `Your last session could not be read back: ${(error as Error).message}`;
    }
    this.watch();
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    $effect.root(() => {
      $effect(() => {
        // Read what is saved so the effect re-runs when any of it changes.
        const c = this.state;
        void [c.question, c.evidence, c.sql, c.running, c.ranWith];
        this.schedule();
      });
      // Forgetting the database forgets the correction too: its rows are the database's.
      let previous = this.db.status;
      $effect(() => {
        const status = this.db.status;
        if (previous === 'open' && status === 'empty') clearCorrection(this.state);
        previous = status;
      });
    });
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
  }

  /** Saves now (inputs always; the correction once it is no longer running). */
  async save(): Promise<void> {
    const c = this.state;
    let previous: SavedSession | undefined;
    if (c.running) previous = (await get(KEY, store).catch(() => undefined)) as SavedSession;
    const session: SavedSession = {
      inputs: { question: c.question, evidence: c.evidence, sql: c.sql },
      last:
        c.running || !c.ranWith
          ? previous?.last
          : $state.snapshot({
              ranWith: c.ranWith,
              stages: c.stages,
              result: c.result,
              error: c.error,
              cancelled: c.cancelled,
              initialRows: c.initialRows,
              finalRows: c.finalRows,
            }),
      savedAt: new Date().toISOString(),
    };
    try {
      await set(KEY, session, store);
    } catch (error) {
      this.error = `Your work could not be kept for the next visit: ${(error as Error).message}`;
    }
  }
}

export const session = new SessionKeeper(correction, database);

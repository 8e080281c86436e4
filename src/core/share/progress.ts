import type { ShareEvent } from './pipeline';
import { STAGE_TITLE, STAGES } from './stages';

/**
 * One sentence about a correction's progress for a screen reader's live region, or undefined
 * for events not worth interrupting for: tokens, a stage's end (the next start or the result
 * follows at once) and errors (shown in an alert of their own). `initialSql` tells a
 * corrected SQL from the same SQL handed back.
 */
export function progressAnnouncement(event: ShareEvent, initialSql: string): string | undefined {
  switch (event.type) {
    case 'stage-start': {
      const n = STAGES.indexOf(event.stage) + 1;
      const how =
        event.model === 'deterministic'
          ? ', without a model'
          : event.attempt > 1
            ? `, attempt ${event.attempt}`
            : '';
      return `Stage ${n} of ${STAGES.length}: ${STAGE_TITLE[event.stage]}${how}.`;
    }
    case 'result': {
      const sql = event.result.finalSql;
      if (sql === undefined) return 'Correction finished without corrected SQL; see the result.';
      const same = squash(sql) === squash(initialSql);
      return same
        ? 'Correction finished: the SQL is unchanged.'
        : 'Correction finished: the corrected SQL is ready.';
    }
    default:
      return undefined;
  }
}

/** Rows of a query, read out: "3 rows", "1 row", "no rows". */
export function rowCount(n: number): string {
  return n === 0 ? 'no rows' : n === 1 ? '1 row' : `${n} rows`;
}

const squash = (sql: string) => sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();

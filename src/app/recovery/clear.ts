import { STAGES, type StageName } from '../../core/share/stages';
import type { CorrectionState, StageView } from '../state/correction.svelte';

function blankStages(): Record<StageName, StageView> {
  return Object.fromEntries(
    STAGES.map((s) => [
      s,
      { status: 'pending', model: '', prompt: '', attempt: 0, streamed: '', touched: [] },
    ]),
  ) as unknown as Record<StageName, StageView>;
}

/** Removes the last correction and its rows from the page (the inputs stay). */
export function clearCorrection(c: CorrectionState): void {
  c.cancel();
  c.stages = blankStages();
  c.result = undefined;
  c.ranWith = undefined;
  c.error = undefined;
  c.cancelled = false;
  c.initialRows = undefined;
  c.finalRows = undefined;
}

/** Clears everything a visitor typed or saw (a kiosk's idle reset). */
export function clearSession(c: CorrectionState): void {
  clearCorrection(c);
  c.question = '';
  c.evidence = '';
  c.sql = '';
}

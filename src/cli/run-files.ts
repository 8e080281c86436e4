import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint, StageResult } from '../core/batch/batch-run';
import { type PyJson, pyJsonDumps } from '../core/batch/py-json';
import { STAGE_FILES } from '../core/reference/reference-set';
import type { StageName } from '../core/share/stages';

/** Where a run keeps its finished items (one JSON line per item and stage). */
export const CHECKPOINT_DIR = '.share-run';

/** Writes a file whole or not at all (a crash never leaves half a file). */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** A Checkpoint in `<out>/.share-run/<stage>.jsonl`, appended as items finish. */
export class FileCheckpoint implements Checkpoint {
  private readonly dir: string;

  constructor(private readonly out: string) {
    this.dir = join(out, CHECKPOINT_DIR);
    mkdirSync(this.dir, { recursive: true });
  }

  path(stage: StageName): string {
    return join(this.dir, `${stage}.jsonl`);
  }

  load(stage: StageName): Map<number, StageResult> {
    const results = new Map<number, StageResult>();
    const path = this.path(stage);
    if (!existsSync(path)) return this.fromReferenceFile(stage);
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as StageResult;
        if (
          Number.isInteger(r.idx) &&
          typeof r.prompt === 'string' &&
          typeof r.response === 'string'
        ) {
          results.set(r.idx, r);
        }
      } catch {
        // A line cut short by a crash: that item is simply redone.
      }
    }
    return results;
  }

  /**
   * A stage file of the reference pipeline's own output folder (`--resume` on a reference
   * run continues it): its items count as done, without accounting.
   */
  private fromReferenceFile(stage: StageName): Map<number, StageResult> {
    const results = new Map<number, StageResult>();
    const path = join(this.out, STAGE_FILES[stage]);
    if (stage === 'generator' || !existsSync(path)) return results;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = JSON.parse(line) as { idx?: unknown; prompt?: unknown; response?: unknown };
        if (
          Number.isInteger(r.idx) &&
          typeof r.prompt === 'string' &&
          typeof r.response === 'string'
        ) {
          results.set(r.idx as number, {
            idx: r.idx as number,
            prompt: r.prompt,
            response: r.response,
            attempts: 1,
            durationMs: 0,
          });
        }
      } catch {
        return new Map();
      }
    }
    return results;
  }

  save(stage: StageName, result: StageResult): void {
    appendFileSync(this.path(stage), `${JSON.stringify(result)}\n`);
  }
}

/** A stage file of the reference: `json.dumps({"idx", "prompt", "response"})` per line. */
export function stageFileText(results: readonly StageResult[]): string {
  return results
    .map((r) => `${pyJsonDumps({ idx: r.idx, prompt: r.prompt, response: r.response })}\n`)
    .join('');
}

/** Writes a reference-format file (Python's `json.dump(…, indent=n)` when `indent` is set). */
export function writePyJson(out: string, file: string, value: PyJson, indent?: number): void {
  writeAtomic(join(out, file), pyJsonDumps(value, indent));
}

export function writeStageFile(
  out: string,
  stage: StageName,
  results: readonly StageResult[],
): void {
  writeAtomic(join(out, STAGE_FILES[stage]), stageFileText(results));
}

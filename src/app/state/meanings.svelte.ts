import { SvelteMap } from 'svelte/reactivity';
import { columnMeaningsFor, meaningsFromBirdCsv } from '../../core/db/describe-column';
import { type ColumnMeanings, parseColumnMeanings } from '../../core/schema/column-meaning';
import type { Schema } from '../../core/schema/schema';
import type { DatabaseState } from './database.svelte';

/** Column descriptions for LOM and the generator: imported, edited, or from the data. */
export class MeaningsState {
  imported = new SvelteMap<string, string>();
  edits = new SvelteMap<string, string>();
  /** Describe columns that have no other description from their profiles. */
  useProfiles = $state(true);
  error = $state<string | undefined>();
  notice = $state<string | undefined>();

  /** Imports a column_meaning.json or BIRD database_description CSV files. */
  async importFiles(files: FileList | File[], dbId: string): Promise<void> {
    this.error = undefined;
    let added = 0;
    for (const file of Array.from(files)) {
      try {
        const text = await file.text();
        const found: ReadonlyMap<string, string> = file.name.toLowerCase().endsWith('.csv')
          ? meaningsFromBirdCsv(text, dbId, file.name.replace(/\.csv$/i, ''))
          : parseColumnMeanings(text);
        for (const [k, v] of found) this.imported.set(k, v);
        added += found.size;
      } catch (error) {
        this.error = `${file.name}: ${(error as Error).message}`;
      }
    }
    this.notice = `${added} column descriptions imported`;
  }

  clear(): void {
    this.imported.clear();
    this.edits.clear();
    this.notice = undefined;
  }

  forSchema(schema: Schema, db: DatabaseState): ColumnMeanings {
    return columnMeaningsFor(schema, {
      edits: this.edits,
      imported: this.imported,
      profiles: this.useProfiles ? db.profiles : undefined,
    });
  }
}

export const meanings = new MeaningsState();

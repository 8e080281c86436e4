/** Dataset layouts and their items (BIRD and Spider dev sets, or sets shaped like them). */

export type DatasetFormat = 'bird' | 'spider';

/** Where each layout keeps its files, relative to the dataset folder. */
export const LAYOUT: Record<DatasetFormat, { items: string; tables: string; databases: string }> = {
  bird: { items: 'dev.json', tables: 'dev_tables.json', databases: 'dev_databases' },
  spider: { items: 'dev.json', tables: 'tables.json', databases: 'database' },
};

/** The relative path of a database file: `<databases>/<db>/<db>.sqlite`. */
export function databasePath(format: DatasetFormat, dbId: string): string {
  return `${LAYOUT[format].databases}/${dbId}/${dbId}.sqlite`;
}

/** One question of a dataset, at position `idx` of its `dev.json`. */
export interface DatasetItem {
  idx: number;
  dbId: string;
  question: string;
  evidence: string;
  /** The gold SQL (`SQL` in BIRD, `query` in Spider), when the set has one. */
  gold?: string;
  /** BIRD's `difficulty` (simple / moderate / challenging). */
  difficulty?: string;
  /** The set's own id of the item (`question_id`), when it has one. */
  questionId?: string | number;
}

/** A dataset file is missing or malformed; the message names the file and the item. */
export class DatasetError extends Error {
  override name = 'DatasetError';
}

/** Parses the text of a `dev.json` (a list of items with `db_id` and `question`). */
export function parseDatasetItems(text: string, file = 'dev.json'): DatasetItem[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DatasetError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(data)) throw new DatasetError(`${file} must be a list of items`);
  return data.map((raw: unknown, idx): DatasetItem => {
    if (raw === null || typeof raw !== 'object') {
      throw new DatasetError(`${file}: item ${idx} is not an object`);
    }
    const r = raw as Record<string, unknown>;
    if (typeof r.db_id !== 'string' || r.db_id === '') {
      throw new DatasetError(`${file}: item ${idx} has no db_id`);
    }
    const gold =
      typeof r.SQL === 'string' ? r.SQL : typeof r.query === 'string' ? r.query : undefined;
    const qid = r.question_id;
    return {
      idx,
      dbId: r.db_id,
      question: typeof r.question === 'string' ? r.question : '',
      evidence: typeof r.evidence === 'string' ? r.evidence : '',
      gold: gold === '' ? undefined : gold,
      difficulty: typeof r.difficulty === 'string' ? r.difficulty : undefined,
      questionId: typeof qid === 'string' || typeof qid === 'number' ? qid : undefined,
    };
  });
}

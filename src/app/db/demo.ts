/** One demo question shipped with the demo database (`demo/questions.json`). */
export interface DemoQuestion {
  id: string;
  question: string;
  evidence: string;
  wrongSql: string;
  explanation: string;
  /** The SQL that answers the question (the static demo runs both). */
  correctSql?: string;
  /** The kind of mistake the wrong SQL makes (e.g. `wrong-column`). */
  mistake?: string;
}

/** The demo set: which database file, its id for the prompts, and the questions. */
export interface DemoSet {
  dbId: string;
  database: string;
  questions: DemoQuestion[];
}

/** Fetches the demo set beside the page; throws an Error naming the URL when it is missing. */
export async function fetchDemoSet(): Promise<DemoSet> {
  const url = new URL('demo/questions.json', document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  const data = (await response.json()) as Partial<DemoSet>;
  if (
    typeof data.dbId !== 'string' ||
    typeof data.database !== 'string' ||
    !Array.isArray(data.questions)
  ) {
    throw new Error(`${url} is not a demo set ({"dbId", "database", "questions"})`);
  }
  const questions = data.questions.filter(
    (q): q is DemoQuestion => typeof q?.question === 'string' && typeof q?.wrongSql === 'string',
  );
  return { dbId: data.dbId, database: data.database, questions };
}

/** Fetches the demo database's bytes. */
export async function fetchDemoDatabase(set: DemoSet): Promise<Uint8Array> {
  const url = new URL(`demo/${set.database}`, document.baseURI).href;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

import initSqlJs from 'sql.js';
import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate';
import { InProcessSqlRunner } from './sqljs-runner';

describe('InProcessSqlRunner + evaluate (sql.js in one thread, as a browser worker would)', () => {
  it('scores BIRD and Spider rules on an in-memory database', async () => {
    const SQL = await initSqlJs();
    const seed = new SQL.Database();
    seed.run(
      "CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (2, 'y');",
    );
    const bytes = seed.export();
    let opened = 0;
    const runner = new InProcessSqlRunner(async () => {
      opened++;
      return new SQL.Database(bytes);
    });
    const items = [
      { idx: 0, dbId: 'd', question: '', evidence: '', gold: 'SELECT a FROM t ORDER BY a DESC' },
      { idx: 1, dbId: 'd', question: '', evidence: '', gold: 'SELECT b, a FROM t' },
      { idx: 2, dbId: 'd', question: '', evidence: '', gold: 'SELECT count(*) FROM t' },
    ];
    const preds = new Map([
      [0, 'SELECT a FROM t ORDER BY a'],
      [1, 'SELECT DISTINCT a, b FROM t'],
      [2, 'DELETE FROM t'],
    ]);
    const options = { databases: () => ['d'] };
    const bird = await evaluate(items, preds, runner, { ...options, format: 'bird' });
    // Sets: order and duplicates ignored; columns in order; a DELETE yields no rows.
    expect(bird.items.map((i) => i.correct)).toEqual([true, false, false]);
    const spider = await evaluate(items, preds, runner, { ...options, format: 'spider' });
    // Order matters (gold has ORDER BY); DISTINCT is removed, so the bag of rows matches.
    expect(spider.items.map((i) => i.correct)).toEqual([false, true, false]);
    // The DELETE ran on a private copy: later requests reopened the database.
    expect(opened).toBeGreaterThan(1);
    await runner.close();
  });
});

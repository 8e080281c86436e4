import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type Database, type SqlValue } from 'sql.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DB_ID, DEMO_QUESTIONS } from '../../scripts/demo-questions';
import { DEMO_DIR, demoQuestionsJson, makeDemoDatabase } from '../../scripts/make-demo-db';
import { checkDatabaseFile } from '../../src/core/db/open-check';
import { checkReadOnly } from '../../src/core/db/read-only';
import { schemaFromSqlite } from '../../src/core/schema/from-sqlite';
import { sha256 } from '../hostile/harness';

type Row = Record<string, SqlValue>;
type Answer = SqlValue[][];

/** The tables, read with plain SELECT * so the oracles below compute answers in TypeScript. */
interface Tables {
  categories: Row[];
  products: Row[];
  customers: Row[];
  orders: Row[];
  order_items: Row[];
  reviews: Row[];
}

function rowsOf(db: Database, table: string): Row[] {
  const result = db.exec(`SELECT * FROM ${table}`)[0];
  if (!result) return [];
  return result.values.map((values) =>
    Object.fromEntries(result.columns.map((c, i) => [c, values[i]!])),
  );
}

const num = (v: SqlValue): number => Number(v);
const by = <T>(xs: T[], key: (x: T) => SqlValue): Map<SqlValue, T> =>
  new Map(xs.map((x) => [key(x), x]));
const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The intended answer of each demo question, computed from the rows in TypeScript — an
 * implementation independent of the SQL it checks.
 */
const ORACLES: Record<string, (t: Tables) => Answer> = {
  'lyon-customers': (t) =>
    t.customers.filter((c) => c.city === 'Lyon').map((c) => [c.first_name!, c.last_name!]),
  'toys-order-lines': (t) => {
    const toys = t.categories.find((c) => c.name === 'Toys')!.category_id;
    const products = by(t.products, (p) => p.product_id!);
    return [
      [t.order_items.filter((i) => products.get(i.product_id!)!.category_id === toys).length],
    ];
  },
  'value-per-category': (t) => {
    const products = by(t.products, (p) => p.product_id!);
    const categories = by(t.categories, (c) => c.category_id!);
    const totals = new Map<SqlValue, number>();
    for (const i of t.order_items) {
      const name = categories.get(products.get(i.product_id!)!.category_id!)!.name!;
      totals.set(name, (totals.get(name) ?? 0) + num(i.quantity!) * num(i.unit_price!));
    }
    return [...totals].map(([name, total]) => [name, total]);
  },
  'customers-without-orders': (t) => {
    const buyers = new Set(t.orders.map((o) => o.customer_id));
    return t.customers
      .filter((c) => !buyers.has(c.customer_id!))
      .map((c) => [c.first_name!, c.last_name!]);
  },
  'discontinued-order-lines': (t) => {
    const products = by(t.products, (p) => p.product_id!);
    return [[t.order_items.filter((i) => products.get(i.product_id!)!.discontinued === 1).length]];
  },
  'cancelled-2024': (t) => [
    [
      t.orders.filter((o) => o.status === 'cancelled' && String(o.order_date).startsWith('2024-'))
        .length,
    ],
  ],
  'garden-average-price': (t) => {
    const garden = t.categories.find((c) => c.name === 'Garden')!.category_id;
    const prices = t.products.filter((p) => p.category_id === garden).map((p) => num(p.price!));
    return [[sum(prices) / prices.length]];
  },
  'kitchen-units': (t) => {
    const kitchen = t.categories.find((c) => c.name === 'Kitchen')!.category_id;
    const products = by(t.products, (p) => p.product_id!);
    const lines = t.order_items.filter((i) => products.get(i.product_id!)!.category_id === kitchen);
    return [[sum(lines.map((i) => num(i.quantity!)))]];
  },
  'march-2024-customers': (t) => [
    [
      new Set(
        t.orders
          .filter((o) => String(o.order_date).startsWith('2024-03-'))
          .map((o) => o.customer_id),
      ).size,
    ],
  ],
  'top-three-products': (t) => {
    const units = new Map<number, number>();
    for (const i of t.order_items)
      units.set(num(i.product_id!), (units.get(num(i.product_id!)) ?? 0) + num(i.quantity!));
    const names = by(t.products, (p) => p.product_id!);
    return [...units]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, 3)
      .map(([id]) => [names.get(id)!.name!]);
  },
  'shipped-orders': (t) => [[t.orders.filter((o) => o.status === 'shipped').length]],
  'signups-2023': (t) => [
    [t.customers.filter((c) => String(c.signup_date).startsWith('2023-')).length],
  ],
  'big-countries': (t) => {
    const counts = new Map<SqlValue, number>();
    for (const c of t.customers) counts.set(c.country!, (counts.get(c.country!) ?? 0) + 1);
    return [...counts].filter(([, n]) => n > 80).map(([country]) => [country]);
  },
};

/** Rows compared with a tolerance on floats (sums in another order differ in the last bits). */
function sameAnswer(a: Answer, b: Answer, ordered: boolean): boolean {
  if (a.length !== b.length) return false;
  const key = (row: SqlValue[]): string =>
    JSON.stringify(row.map((v) => (typeof v === 'number' ? Math.round(v * 1e6) / 1e6 : v)));
  const x = a.map(key);
  const y = b.map(key);
  if (!ordered) {
    x.sort();
    y.sort();
  }
  return x.every((v, i) => v === y[i]);
}

describe('demo database (public/demo)', () => {
  let db: Database;
  let tables: Tables;
  const fileBytes = new Uint8Array(readFileSync(join(DEMO_DIR, 'demo.sqlite')));

  beforeAll(async () => {
    const SQL = await initSqlJs();
    db = new SQL.Database(fileBytes);
    tables = {
      categories: rowsOf(db, 'categories'),
      products: rowsOf(db, 'products'),
      customers: rowsOf(db, 'customers'),
      orders: rowsOf(db, 'orders'),
      order_items: rowsOf(db, 'order_items'),
      reviews: rowsOf(db, 'reviews'),
    };
  });
  afterAll(() => db?.close());

  it('is what `npm run demo:db` generates, byte for byte (deterministic, up to date)', async () => {
    const SQL = await initSqlJs();
    expect(sha256(makeDemoDatabase(SQL))).toBe(sha256(fileBytes));
    expect(readFileSync(join(DEMO_DIR, 'questions.json'), 'utf8')).toBe(demoQuestionsJson());
  });

  it('is small, opens cleanly, and has foreign keys that hold', async () => {
    expect(fileBytes.length).toBeLessThan(1024 * 1024);
    const SQL = await initSqlJs();
    const check = checkDatabaseFile(SQL, fileBytes, { fileName: 'demo.sqlite' });
    expect(check.ok && check.warnings).toEqual([]);
    const schema = schemaFromSqlite(db, DEMO_DB_ID);
    expect(schema.tables.map((t) => t.name)).toEqual(Object.keys(tables));
    expect(schema.foreignKeys.length).toBeGreaterThanOrEqual(6);
    expect(db.exec('PRAGMA foreign_key_check')).toEqual([]);
    const rows = Object.values(tables).reduce((n, t) => n + t.length, 0);
    expect(rows).toBeGreaterThan(3000);
  });

  it('has an oracle for every question, and unique ids', () => {
    const ids = DEMO_QUESTIONS.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Object.keys(ORACLES).sort());
    expect(new Set(DEMO_QUESTIONS.map((q) => q.mistake)).size).toBeGreaterThanOrEqual(8);
  });

  for (const q of DEMO_QUESTIONS) {
    it(`${q.id} (${q.mistake}): the correct SQL answers, the wrong one ${q.wrongSqlError ? 'fails' : 'answers wrongly'}`, () => {
      const intended = ORACLES[q.id]!(tables);
      expect(intended.length, 'a question with an empty answer shows nothing').toBeGreaterThan(0);
      // Both SQL texts are single read-only queries the app may run.
      expect(checkReadOnly(q.correctSql)).toBe(q.correctSql);
      expect(checkReadOnly(q.wrongSql)).toBe(q.wrongSql);

      const correct = db.exec(q.correctSql)[0]?.values ?? [];
      expect(sameAnswer(correct, intended, q.ordered), JSON.stringify(correct).slice(0, 300)).toBe(
        true,
      );

      if (q.wrongSqlError) {
        expect(() => db.exec(q.wrongSql)).toThrow(q.wrongSqlError);
      } else {
        const wrong = db.exec(q.wrongSql)[0]?.values ?? [];
        expect(sameAnswer(wrong, intended, q.ordered), 'the wrong SQL gives the right answer').toBe(
          false,
        );
      }
    });
  }
});

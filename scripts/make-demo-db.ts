/**
 * `npm run demo:db`: generates the demo database `public/demo/demo.sqlite` (an online shop:
 * categories, products, customers, orders, order lines, reviews, with foreign keys) and
 * `public/demo/questions.json` (demo questions, each with deliberately wrong SQL and the
 * correct SQL). Everything is made up here from a seeded generator: no copied data, and the
 * same bytes on every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { seededRandom } from '../src/core/random';
import { DEMO_DB_ID, DEMO_QUESTIONS } from './demo-questions';

/** Where the demo files go (served by the app under `demo/`). */
export const DEMO_DIR = resolve(import.meta.dirname, '../public/demo');

/** The seed of the generator: change it and every row changes. */
export const DEMO_SEED = 7;

/** Row counts of the generated tables. */
export const DEMO_SIZES = {
  customers: 600,
  products: 120,
  orders: 2400,
  reviews: 1500,
} as const;

const SCHEMA_SQL = `
CREATE TABLE categories (
  category_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE products (
  product_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories(category_id),
  price REAL NOT NULL,
  stock INTEGER NOT NULL,
  discontinued INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL UNIQUE,
  city TEXT NOT NULL,
  country TEXT NOT NULL,
  signup_date TEXT NOT NULL
);
CREATE TABLE orders (
  order_id INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
  order_date TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'shipped', 'cancelled', 'returned'))
);
CREATE TABLE order_items (
  order_id INTEGER NOT NULL REFERENCES orders(order_id),
  product_id INTEGER NOT NULL REFERENCES products(product_id),
  quantity INTEGER NOT NULL,
  unit_price REAL NOT NULL,
  PRIMARY KEY (order_id, product_id)
);
CREATE TABLE reviews (
  review_id INTEGER PRIMARY KEY,
  product_id INTEGER NOT NULL REFERENCES products(product_id),
  customer_id INTEGER NOT NULL REFERENCES customers(customer_id),
  rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
  review_date TEXT NOT NULL
);
CREATE INDEX orders_customer ON orders(customer_id);
CREATE INDEX order_items_product ON order_items(product_id);
CREATE INDEX reviews_product ON reviews(product_id);
`;

const CATEGORIES = ['Books', 'Garden', 'Kitchen', 'Toys', 'Music', 'Sports', 'Office', 'Outdoor'];

// Product names: an adjective and a noun per category, combined by the generator.
const ADJECTIVES = [
  'Compact',
  'Classic',
  'Deluxe',
  'Eco',
  'Pocket',
  'Sturdy',
  'Bright',
  'Quiet',
  'Smart',
  'Vintage',
];
const NOUNS: Record<string, string[]> = {
  Books: ['Atlas', 'Cookbook', 'Novel', 'Field Guide', 'Poetry Collection'],
  Garden: ['Trowel', 'Planter', 'Hose Reel', 'Seed Kit', 'Pruner'],
  Kitchen: ['Kettle', 'Skillet', 'Knife Set', 'Teapot', 'Cutting Board'],
  Toys: ['Puzzle', 'Kite', 'Robot Kit', 'Yo-yo', 'Board Game'],
  Music: ['Ukulele', 'Harmonica', 'Metronome', 'Drum Pad', 'Songbook'],
  Sports: ['Jump Rope', 'Yoga Mat', 'Water Bottle', 'Tennis Racket', 'Football'],
  Office: ['Notebook', 'Desk Lamp', 'Stapler', 'Fountain Pen', 'Organizer'],
  Outdoor: ['Tent', 'Lantern', 'Backpack', 'Hammock', 'Compass'],
};
const PRICE_RANGE: Record<string, [number, number]> = {
  Books: [8, 45],
  Garden: [6, 90],
  Kitchen: [12, 160],
  Toys: [5, 70],
  Music: [15, 220],
  Sports: [7, 180],
  Office: [3, 60],
  Outdoor: [10, 320],
};

// Names built from syllables, so no list of real people is involved.
const SYLLABLES = [
  'an',
  'bel',
  'cor',
  'da',
  'el',
  'fi',
  'ga',
  'hal',
  'is',
  'jo',
  'ka',
  'lin',
  'mar',
  'no',
  'ol',
  'pe',
  'ra',
  'sa',
  'tor',
  'vi',
  'wen',
  'ya',
  'zo',
];
const PLACES: [string, string][] = [
  ['Lyon', 'France'],
  ['Paris', 'France'],
  ['Lille', 'France'],
  ['Porto', 'Portugal'],
  ['Lisbon', 'Portugal'],
  ['Ghent', 'Belgium'],
  ['Liège', 'Belgium'],
  ['Bremen', 'Germany'],
  ['Leipzig', 'Germany'],
  ['Turin', 'Italy'],
  ['Bologna', 'Italy'],
  ['Québec', 'Canada'],
  ['Halifax', 'Canada'],
  ['Osaka', 'Japan'],
];
const STATUSES: [string, number][] = [
  ['shipped', 0.7],
  ['pending', 0.1],
  ['cancelled', 0.12],
  ['returned', 0.08],
];

function isoDate(start: Date, dayOffset: number): string {
  const d = new Date(start.getTime() + dayOffset * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Builds the demo database with sql.js and returns its bytes (deterministic). */
export function makeDemoDatabase(SQL: SqlJsStatic, seed = DEMO_SEED): Uint8Array {
  const rand = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const name = (): string => {
    const n = int(2, 3);
    let s = '';
    for (let i = 0; i < n; i++) s += pick(SYLLABLES);
    return s[0]!.toUpperCase() + s.slice(1);
  };

  const db = new SQL.Database();
  try {
    db.exec('PRAGMA foreign_keys = ON');
    db.exec(SCHEMA_SQL);
    db.exec('BEGIN');
    const insert = (sql: string, rows: (string | number)[][]): void => {
      const stmt = db.prepare(sql);
      for (const row of rows) stmt.run(row);
      stmt.free();
    };

    insert(
      'INSERT INTO categories VALUES (?, ?)',
      CATEGORIES.map((c, i) => [i + 1, c]),
    );

    const products: { id: number; price: number; discontinued: number }[] = [];
    const productRows: (string | number)[][] = [];
    const usedNames = new Set<string>();
    for (let id = 1; id <= DEMO_SIZES.products; id++) {
      const categoryId = ((id - 1) % CATEGORIES.length) + 1;
      const category = CATEGORIES[categoryId - 1]!;
      let productName = `${pick(ADJECTIVES)} ${pick(NOUNS[category]!)}`;
      // Keep names unique so questions naming a product have one answer.
      for (let k = 2; usedNames.has(productName); k++)
        productName = `${productName.replace(/ \d+$/, '')} ${k}`;
      usedNames.add(productName);
      const [lo, hi] = PRICE_RANGE[category]!;
      const price = Math.round((lo + rand() * (hi - lo)) * 100) / 100;
      const discontinued = rand() < 0.1 ? 1 : 0;
      const stock = discontinued ? 0 : int(0, 250);
      products.push({ id, price, discontinued });
      productRows.push([id, productName, categoryId, price, stock, discontinued]);
    }
    insert('INSERT INTO products VALUES (?, ?, ?, ?, ?, ?)', productRows);

    const customerRows: (string | number)[][] = [];
    const signupStart = new Date('2022-01-01T00:00:00Z');
    const emails = new Set<string>();
    for (let id = 1; id <= DEMO_SIZES.customers; id++) {
      const first = name();
      const last = name();
      let email = `${first}.${last}`.toLowerCase() + '@example.com';
      if (emails.has(email)) email = email.replace('@', `${id}@`);
      emails.add(email);
      const [city, country] = pick(PLACES);
      customerRows.push([id, first, last, email, city, country, isoDate(signupStart, int(0, 729))]);
    }
    insert('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)', customerRows);

    const orderRows: (string | number)[][] = [];
    const itemRows: (string | number)[][] = [];
    const orderStart = new Date('2023-01-01T00:00:00Z');
    for (let id = 1; id <= DEMO_SIZES.orders; id++) {
      const r = rand();
      let acc = 0;
      let status = STATUSES[0]![0];
      for (const [s, p] of STATUSES) {
        acc += p;
        if (r < acc) {
          status = s;
          break;
        }
      }
      orderRows.push([id, int(1, DEMO_SIZES.customers), isoDate(orderStart, int(0, 730)), status]);
      const lines = int(1, 4);
      const chosen = new Set<number>();
      while (chosen.size < lines) chosen.add(int(1, DEMO_SIZES.products));
      for (const productId of chosen) {
        itemRows.push([id, productId, int(1, 5), products[productId - 1]!.price]);
      }
    }
    insert('INSERT INTO orders VALUES (?, ?, ?, ?)', orderRows);
    insert('INSERT INTO order_items VALUES (?, ?, ?, ?)', itemRows);

    const reviewRows: (string | number)[][] = [];
    for (let id = 1; id <= DEMO_SIZES.reviews; id++) {
      // Ratings lean positive, as real shops' do.
      const rating = Math.min(5, Math.max(1, Math.round(3.6 + (rand() - 0.4) * 3)));
      reviewRows.push([
        id,
        int(1, DEMO_SIZES.products),
        int(1, DEMO_SIZES.customers),
        rating,
        isoDate(orderStart, int(0, 760)),
      ]);
    }
    insert('INSERT INTO reviews VALUES (?, ?, ?, ?, ?)', reviewRows);
    db.exec('COMMIT');
    db.exec('VACUUM');
    return db.export();
  } finally {
    db.close();
  }
}

/** The content of `questions.json`. */
export function demoQuestionsJson(): string {
  return `${JSON.stringify({ dbId: DEMO_DB_ID, database: 'demo.sqlite', questions: DEMO_QUESTIONS }, null, 2)}\n`;
}

async function main(): Promise<void> {
  const SQL = await initSqlJs();
  const bytes = makeDemoDatabase(SQL);
  const dbPath = resolve(DEMO_DIR, 'demo.sqlite');
  mkdirSync(dirname(dbPath), { recursive: true });
  writeFileSync(dbPath, bytes);
  writeFileSync(resolve(DEMO_DIR, 'questions.json'), demoQuestionsJson());
  const db = new SQL.Database(bytes);
  const counts = db
    .exec("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid")[0]!
    .values.map(
      ([t]) => `${t} ${db.exec(`SELECT count(*) FROM "${String(t)}"`)[0]!.values[0]![0]}`,
    );
  db.close();
  process.stdout.write(
    `wrote ${dbPath} (${(bytes.length / 1024).toFixed(0)} kB: ${counts.join(', ')}) and ${DEMO_QUESTIONS.length} questions\n`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    process.stderr.write(`demo:db: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}

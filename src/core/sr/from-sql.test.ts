import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, SPIDER2SQLITE } from '../../../test/paths';
import { spiderTables } from '../../../test/support/spider';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import { initSqlParser, parseSql } from '../sql/parse';
import { sqlToSr } from './from-sql';

const schema: Schema = {
  dbId: 'shop',
  tables: [
    {
      name: 'orders',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'customer_id', type: 'INTEGER' },
        { name: 'amount', type: 'REAL' },
        { name: 'Order Date', type: 'TEXT' },
      ],
      primaryKey: ['id'],
    },
    {
      name: 'customers',
      columns: [
        { name: 'id', type: 'INTEGER' },
        { name: 'name', type: 'TEXT' },
        { name: 'city', type: 'TEXT' },
      ],
      primaryKey: ['id'],
    },
  ],
  foreignKeys: [
    { fromTable: 'orders', fromColumn: 'customer_id', toTable: 'customers', toColumn: 'id' },
  ],
};

beforeAll(() => initSqlParser());
const sr = (sql: string) => sqlToSr(parseSql(sql), schema).sr;

describe('sqlToSr (BAM style)', () => {
  it('writes one where step per condition, resolves aliases, drops joins, selects last', () => {
    expect(
      sr(
        "SELECT c.name FROM orders o JOIN customers c ON o.customer_id = c.id WHERE c.city = 'Oslo' AND o.amount > 100 AND o.`Order Date` BETWEEN '2020-01-01' AND '2020-12-31'",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df1.where(element = orders.amount, filter = '> 100')",
        "df3 = df2.where(element = orders.`Order Date`, filter = 'between 2020-01-01 and 2020-12-31')",
        'res = df3.select(customers.name)',
      ].join('\n'),
    );
  });

  it('puts ORDER BY and LIMIT in one step, counts and distinct counts at the end', () => {
    expect(sr('SELECT name FROM customers ORDER BY name DESC LIMIT 3')).toBe(
      'df1 = df.orderby(by = customers.name, desc).limit(3)\nres = df1.select(customers.name)',
    );
    expect(sr("SELECT COUNT(*) FROM customers WHERE city = 'Oslo'")).toBe(
      "df1 = df.where(element = customers.city, filter = 'Oslo')\nres = df1.count()",
    );
    expect(sr('SELECT COUNT(DISTINCT city) FROM customers WHERE id IS NOT NULL')).toBe(
      "df1 = df.where(element = customers.id, filter = 'is not null')\nres = df1.select(customers.city).distinct().count()",
    );
  });

  it('keeps simple aggregate subqueries inline and others as tmp_res steps', () => {
    expect(
      sr(
        'SELECT name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.amount = (SELECT MAX(amount) FROM orders)',
      ),
    ).toBe(
      'df1 = df.where(element = orders.amount, filter = max(orders.amount))\nres = df1.select(customers.name)',
    );
    expect(
      sr(
        'SELECT name FROM customers WHERE id IN (SELECT customer_id FROM orders WHERE amount > 5)',
      ),
    ).toBe(
      [
        "df1 = df.where(element = orders.amount, filter = '> 5')",
        'tmp_res1 = df1.select(orders.customer_id)',
        "df2 = df.where(element = customers.id, filter = 'in', value = tmp_res1)",
        'res = df2.select(customers.name)',
      ].join('\n'),
    );
  });

  it('writes the ratio idiom as counts of filtered frames', () => {
    expect(
      sr(
        "SELECT CAST(SUM(CASE WHEN city = 'Oslo' THEN 1 ELSE 0 END) AS REAL) * 100 / COUNT(*) FROM customers",
      ),
    ).toBe(
      "df1 = df.where(element = customers.city, filter = 'Oslo')\nres = df.select(cast(df1.count(), real) * 100 / df.count())",
    );
  });

  it('names the counted table in a ratio whose conditions read only the table looked up', () => {
    // The rows counted are orders; without `orders.*` the SR would count customers.
    expect(
      sr(
        "SELECT CAST(SUM(IIF(T2.city = 'Oslo', 1, 0)) AS REAL) * 100 / COUNT(T1.id) FROM orders AS T1 JOIN customers AS T2 ON T1.customer_id = T2.id",
      ),
    ).toBe(
      "df1 = df.where(element = customers.city, filter = 'Oslo')\nres = df.select(cast(df1.count(orders.*), real) * 100 / df.count(orders.*))",
    );
    // When a condition reads the orders, the join's rows are theirs already: BAM's `count()`.
    expect(
      sr(
        "SELECT CAST(SUM(IIF(T1.amount > 10, 1, 0)) AS REAL) / COUNT(*) FROM orders AS T1 JOIN customers AS T2 ON T1.customer_id = T2.id WHERE T2.city = 'Oslo'",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df1.where(element = orders.amount, filter = '> 10')",
        'res = df.select(cast(df2.count(), real) / df1.count())',
      ].join('\n'),
    );
  });

  it('counts a column that may be NULL in a ratio by that column, a key by rows', () => {
    // COUNT(amount) skips orders without an amount; COUNT(id) counts every order.
    expect(
      sr(
        'SELECT CAST(SUM(IIF(amount > 10, 1, 0)) AS REAL) * 100 / COUNT(amount) FROM orders',
      ).split('\n'),
    ).toEqual([
      "df1 = df.where(element = orders.amount, filter = '> 10')",
      'res = df.select(cast(df1.count(), real) * 100 / df.count(orders.amount))',
    ]);
    expect(
      sr('SELECT CAST(SUM(IIF(amount > 10, 1, 0)) AS REAL) * 100 / COUNT(id) FROM orders')
        .split('\n')
        .at(-1),
    ).toBe('res = df.select(cast(df1.count(), real) * 100 / df.count())');
  });

  it('reuses ratio frames built for the same leading conditions, and the WHERE frame', () => {
    expect(
      sr(
        "SELECT CAST(COUNT(CASE WHEN city = 'Oslo' AND id > 2 THEN 1 END) AS REAL) / COUNT(CASE WHEN city = 'Oslo' THEN 1 END) FROM customers",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df1.where(element = customers.id, filter = '> 2')",
        'res = df.select(cast(df2.count(), real) / df1.count())',
      ].join('\n'),
    );
    expect(
      sr(
        "SELECT CAST(SUM(CASE WHEN id > 2 THEN 1 ELSE 0 END) AS REAL) / SUM(CASE WHEN city = 'Oslo' THEN 1 ELSE 0 END) FROM customers WHERE city = 'Oslo'",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df1.where(element = customers.id, filter = '> 2')",
        'res = df.select(cast(df2.count(), real) / df1.count())',
      ].join('\n'),
    );
  });

  it('groups with aggregates referred to by their text, and names the counted table when no column does', () => {
    expect(
      sr(
        'SELECT city, SUM(amount) AS total FROM orders JOIN customers ON customer_id = customers.id GROUP BY city ORDER BY total DESC',
      ),
    ).toBe(
      [
        'df1 = df.groupby(customers.city).agg(sum(orders.amount))',
        'df2 = df1.orderby(by = sum(orders.amount), desc)',
        'res = df2.select(customers.city, sum(orders.amount) as total)',
      ].join('\n'),
    );
    expect(sr('SELECT city, COUNT(*) FROM customers GROUP BY city HAVING COUNT(*) > 2')).toBe(
      "df1 = df.groupby(customers.city).having(element = count(), filter = '> 2')\nres = df1.select(customers.city, count())",
    );
    expect(sr('SELECT city, COUNT(*) FROM customers GROUP BY city')).toBe(
      'res = df.groupby(customers.city).count()',
    );
    expect(sr('SELECT COUNT(*), city FROM customers GROUP BY city')).toBe(
      'df1 = df.groupby(customers.city).count()\nres = df1.select(count, customers.city)',
    );
    expect(sr('SELECT COUNT(*) FROM orders')).toBe('res = df.count(orders.*)');
  });

  it('writes a MAX/MIN subquery as the value, and as a top-1 ordering when it has its own conditions', () => {
    // Ties kept: every customer with the largest id, not the first in order.
    const top = sqlToSr(
      parseSql('SELECT name FROM customers WHERE id = (SELECT MAX(id) FROM customers)'),
      schema,
    );
    expect(top.sr).toBe(
      'df1 = df.where(element = customers.id, filter = max(customers.id))\nres = df1.select(customers.name)',
    );
    expect(top.approximations).toEqual([]);
    expect(
      sr(
        "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = 'Oslo' AND o.amount = (SELECT MIN(amount) FROM orders WHERE amount > 0)",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        // The subquery's test of the compared column holds for the rows of its value, so it
        // filters before the ordering (without it, the first row might be one of amount 0).
        "df2 = df1.where(element = orders.amount, filter = '> 0')",
        'df3 = df2.orderby(by = orders.amount).limit(1)',
        'res = df3.select(customers.name)',
      ].join('\n'),
    );
    // The outer query's own conditions, repeated in the subquery, are said once.
    expect(
      sr(
        "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = 'Oslo' AND o.amount = (SELECT MAX(o2.amount) FROM orders o2 JOIN customers c2 ON o2.customer_id = c2.id WHERE c2.city = 'Oslo')",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        'df2 = df1.orderby(by = orders.amount, desc).limit(1)',
        'res = df2.select(customers.name)',
      ].join('\n'),
    );
    // Any other condition of the subquery would be lost by the first row in order: the second
    // highest amount, or the largest amount of Oslo asked of every order, stay values.
    expect(
      sr(
        'SELECT id FROM orders WHERE amount = (SELECT MAX(amount) FROM orders WHERE amount < (SELECT MAX(amount) FROM orders))',
      ),
    ).toBe(
      [
        "df1 = df.where(element = orders.amount, filter = '< max(orders.amount)')",
        'tmp_res1 = df1.select(max(orders.amount))',
        'df2 = df.where(element = orders.amount, filter = tmp_res1)',
        'res = df2.select(orders.id)',
      ].join('\n'),
    );
    expect(
      sr(
        "SELECT o.id FROM orders o WHERE o.amount = (SELECT MAX(o2.amount) FROM orders o2 JOIN customers c ON o2.customer_id = c.id WHERE c.city = 'Oslo')",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        'tmp_res1 = df1.select(max(orders.amount))',
        'df2 = df.where(element = orders.amount, filter = tmp_res1)',
        'res = df2.select(orders.id)',
      ].join('\n'),
    );
    expect(
      sqlToSr(
        parseSql(
          'SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE o.amount = (SELECT MIN(amount) FROM orders WHERE amount > 0)',
        ),
        schema,
      ).approximations[0],
    ).toMatch(/MAX\/MIN subquery/);
  });

  it('writes a join condition as a filter when no key of the schema connects its tables', () => {
    const spider = spiderTables();
    const of = (db: string, sql: string) => sqlToSr(parseSql(sql), schemaForDb(spider, db)).sr;
    // student_1 declares no key, and no column name implies one: SR could not say the join.
    expect(
      of(
        'student_1',
        "SELECT T2.LastName FROM list AS T1 JOIN teachers AS T2 ON T1.Classroom = T2.Classroom WHERE T1.FirstName = 'X'",
      ),
    ).toBe(
      [
        'df1 = df.where(element = list.Classroom, filter = teachers.Classroom)',
        "df2 = df1.where(element = list.FirstName, filter = 'X')",
        'res = df2.select(teachers.LastName)',
      ].join('\n'),
    );
    // bike_1: trips reference stations by an undeclared key; stations and statuses by a declared one.
    expect(
      of(
        'bike_1',
        "SELECT T1.name FROM station AS T1 JOIN trip AS T2 ON T1.id = T2.end_station_id WHERE T2.subscription_type = 'Subscriber'",
      ),
    ).toMatch(/^df1 = df\.where\(element = station\.id, filter = trip\.end_station_id\)$/m);
    expect(
      of(
        'bike_1',
        'SELECT T1.name FROM station AS T1 JOIN status AS T2 ON T1.id = T2.station_id WHERE T2.bikes_available > 10',
      ),
    ).not.toMatch(/station_id/);
    // Which of two declared keys a join took stays unsaid, as BAM leaves it (wedding.Female_ID).
    expect(
      of(
        'wedding',
        "SELECT T1.Year FROM wedding AS T1 JOIN people AS T2 ON T1.Female_ID = T2.People_ID WHERE T2.Country = 'Canada'",
      ),
    ).not.toMatch(/Female_ID/);
  });

  it('in a schema that declares no keys, writes a join condition names would not give as a filter', () => {
    const spider2 = JSON.parse(readFileSync(join(SPIDER2SQLITE, 'tables.json'), 'utf8'));
    const ipl = schemaForDb(spider2, 'IPL_spider2');
    expect(ipl.foreignKeys).toEqual([]);
    const of = (sql: string) => sqlToSr(parseSql(sql), ipl).sr;
    // Names link match and player only through player_match: the man of the match is said.
    expect(
      of(
        "SELECT DISTINCT T2.player_name FROM match AS T1 JOIN player AS T2 ON T1.man_of_the_match = T2.player_id WHERE T1.venue = 'Eden Gardens'",
      ),
    ).toMatch(
      /^df1 = df\.where\(element = match\.man_of_the_match, filter = player\.player_id\)$/m,
    );
    // A join USING a column no name rule reads as a key is said as well, as its ON would be.
    const bank = schemaForDb(spider2, 'bank_sales_trading_spider2');
    expect(
      sqlToSr(
        parseSql(
          "SELECT COUNT(*) FROM shopping_cart_events e JOIN shopping_cart_event_identifier USING (event_type) WHERE event_name = 'Page View'",
        ),
        bank,
      ).sr,
    ).toMatch(
      /^df1 = df\.where\(element = shopping_cart_events\.event_type, filter = shopping_cart_event_identifier\.event_type\)$/m,
    );
    // And one through a cast (`m.id = CAST(mt.interest_id AS INTEGER)`), as written.
    expect(
      sqlToSr(
        parseSql(
          'SELECT m.interest_name FROM interest_metrics mt JOIN interest_map m ON m.id = CAST(mt.interest_id AS INTEGER) WHERE mt._year = 2019',
        ),
        bank,
      ).sr.split('\n')[0],
    ).toBe('df1 = df.where(interest_map.id == cast(interest_metrics.interest_id, integer))');
    // The join names would make (player_match.player_id = player.player_id) stays unsaid.
    expect(
      of(
        "SELECT T2.player_name FROM player_match AS T1 JOIN player AS T2 ON T1.player_id = T2.player_id WHERE T1.role = 'Captain'",
      ),
    ).not.toMatch(/player_match\.player_id/);
  });

  it('where keys are declared, writes an undeclared join condition the keys would not give', () => {
    const t = (name: string, columns: string[], primaryKey: string[]) => ({
      name,
      columns: columns.map((c) => ({ name: c, type: 'INTEGER' })),
      primaryKey,
    });
    // Spider 2.0's BowlingLeague, cut down: the winning team of a game is not a declared key.
    const bowling: Schema = {
      dbId: 'bowling',
      tables: [
        t('Teams', ['TeamID', 'TeamName'], ['TeamID']),
        t('Bowlers', ['BowlerID', 'BowlerName', 'TeamID'], ['BowlerID']),
        t('Tourney_Matches', ['MatchID', 'OddLaneTeamID'], ['MatchID']),
        t('Match_Games', ['MatchID', 'GameNumber', 'WinningTeamID'], ['MatchID', 'GameNumber']),
      ],
      foreignKeys: [
        { fromTable: 'Bowlers', fromColumn: 'TeamID', toTable: 'Teams', toColumn: 'TeamID' },
        {
          fromTable: 'Tourney_Matches',
          fromColumn: 'OddLaneTeamID',
          toTable: 'Teams',
          toColumn: 'TeamID',
        },
        {
          fromTable: 'Match_Games',
          fromColumn: 'MatchID',
          toTable: 'Tourney_Matches',
          toColumn: 'MatchID',
        },
      ],
    };
    const of = (sql: string) => sqlToSr(parseSql(sql), bowling).sr;
    // The keys would join Teams to Match_Games through the odd lane's team: the SQL's join is said.
    expect(
      of(
        'SELECT T1.TeamName, count(*) FROM Teams AS T1 JOIN Match_Games AS T2 ON T1.TeamID = T2.WinningTeamID GROUP BY T1.TeamID',
      ).split('\n')[0],
    ).toBe('df1 = df.where(element = Teams.TeamID, filter = Match_Games.WinningTeamID)');
    // Undeclared, but the keys' path through Teams equates the same columns: unsaid.
    expect(
      of(
        'SELECT T2.BowlerName FROM Tourney_Matches AS T1 JOIN Bowlers AS T2 ON T1.OddLaneTeamID = T2.TeamID WHERE T1.MatchID = 7',
      ),
    ).not.toMatch(/OddLaneTeamID/);
    // A declared key is not said, unless another equality of the same two tables is: then
    // compiling back joins on what is said, so the key is said first.
    expect(
      of(
        'SELECT T1.TeamName FROM Teams AS T1 JOIN Bowlers AS T2 ON T1.TeamID = T2.TeamID WHERE T2.BowlerID = 3',
      ),
    ).not.toMatch(/TeamID/);
    expect(
      of(
        'SELECT T1.TeamName FROM Teams AS T1 JOIN Bowlers AS T2 ON T1.TeamID = T2.TeamID WHERE T1.TeamName = T2.BowlerName',
      ).split('\n'),
    ).toEqual([
      'df1 = df.where(element = Teams.TeamID, filter = Bowlers.TeamID)',
      'df2 = df1.where(element = Teams.TeamName, filter = Bowlers.BowlerName)',
      'res = df2.select(Teams.TeamName)',
    ]);
    // A path that equates them only through a table it does not look up on a key repeats rows:
    // complex_oracle's customers and their demographics, which the keys reach through sales.
    const oracle: Schema = {
      dbId: 'complex_oracle',
      tables: [
        t('customers', ['cust_id', 'cust_year_of_birth'], ['cust_id']),
        t('sales', ['cust_id', 'amount_sold'], []),
        t('demographics', ['cust_id', 'education'], ['cust_id']),
      ],
      foreignKeys: [
        { fromTable: 'sales', fromColumn: 'cust_id', toTable: 'customers', toColumn: 'cust_id' },
      ],
    };
    expect(
      sqlToSr(
        parseSql(
          'SELECT d.education FROM customers c JOIN demographics d ON d.cust_id = c.cust_id WHERE c.cust_year_of_birth > 1960',
        ),
        oracle,
      ).sr.split('\n')[0],
    ).toBe('df1 = df.where(element = demographics.cust_id, filter = customers.cust_id)');
  });

  it('keeps a join that only filters distinct rows as an IN filter, and leaves counted rows alone', () => {
    // Customers with an order: without the filter the trajectory would list every customer.
    expect(
      sr('SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id'),
    ).toBe(
      [
        'tmp_res1 = df.select(orders.customer_id)',
        "df1 = df.where(element = customers.id, filter = 'in', value = tmp_res1)",
        'res = df1.select(customers.name).distinct()',
      ].join('\n'),
    );
    // The same in an operand of EXCEPT (duplicates dropped there too).
    expect(
      sr(
        'SELECT name FROM customers EXCEPT SELECT c.name FROM customers c JOIN orders o ON c.id = o.customer_id',
      ),
    ).toContain("filter = 'in'");
    // Also when the table that only filters is the one in FROM.
    expect(
      sr('SELECT DISTINCT c.name FROM orders o JOIN customers c ON o.customer_id = c.id'),
    ).toBe(
      [
        'tmp_res1 = df.select(orders.customer_id)',
        "df1 = df.where(element = customers.id, filter = 'in', value = tmp_res1)",
        'res = df1.select(customers.name).distinct()',
      ].join('\n'),
    );
    // And in the subquery of IN, where only the set of values counts: the cities of
    // customers who ordered, not of every customer.
    expect(
      sr(
        'SELECT name FROM customers WHERE city IN (SELECT c.city FROM customers c JOIN orders o ON o.customer_id = c.id)',
      ),
    ).toBe(
      [
        'tmp_res2 = df.select(orders.customer_id)',
        "df1 = df.where(element = customers.id, filter = 'in', value = tmp_res2)",
        'tmp_res1 = df1.select(customers.city)',
        "df2 = df.where(element = customers.city, filter = 'in', value = tmp_res1)",
        'res = df2.select(customers.name)',
      ].join('\n'),
    );
    // Not under a LIMIT, which counts rows.
    expect(
      sr(
        'SELECT name FROM customers WHERE city IN (SELECT c.city FROM customers c JOIN orders o ON o.customer_id = c.id ORDER BY o.amount DESC LIMIT 3)',
      ).match(/'in'/g),
    ).toHaveLength(1);
    // Nor where an aggregate counts the join's rows before DISTINCT.
    expect(
      sr(
        'SELECT DISTINCT c.name FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING COUNT(*) > 1',
      ),
    ).not.toContain("'in'");
    // Without DISTINCT the join's duplicates count: no IN filter is written.
    expect(
      sr('SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id'),
    ).not.toContain("'in'");
  });

  it('notes a join that SR leaves out although it repeats or drops rows', () => {
    const read = (sql: string) => sqlToSr(parseSql(sql), schema);
    // Customers once per order, only those with one: SR names no column of orders.
    const perOrder = read(
      "SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.city = 'Oslo'",
    );
    expect(perOrder.sr).not.toContain('orders');
    expect(perOrder.approximations).toEqual([
      'the join with orders, which only repeats or drops rows (SR names none of its columns)',
    ]);
    // In the outer select it can be joined again from the SQL's keys; it is not lost.
    expect(perOrder.rejoin).toEqual(['orders']);
    expect(perOrder.lossy).toEqual([]);
    // The same written from the other side.
    expect(
      read('SELECT c.name FROM orders o JOIN customers c ON o.customer_id = c.id').rejoin,
    ).toEqual(['orders']);
    // Looked up on its primary key, a table adds or drops no rows: nothing to note.
    const lookedUp = read('SELECT o.amount FROM orders o JOIN customers c ON o.customer_id = c.id');
    expect(lookedUp.approximations).toEqual([]);
    expect(lookedUp.rejoin).toEqual([]);
    // Read, or counted (`count(orders.*)`), it is named in the trajectory.
    expect(
      read('SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id').rejoin,
    ).toEqual([]);
    expect(
      read('SELECT COUNT(*) FROM customers c JOIN orders o ON o.customer_id = c.id').rejoin,
    ).toEqual([]);
    // Inside a subquery nothing joins it again: lost.
    const inner = read(
      'SELECT name FROM customers WHERE id IN (SELECT c.id FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id HAVING COUNT(c.id) > 1)',
    );
    expect(inner.rejoin).toEqual([]);
    expect(inner.lossy).toEqual([
      'the join with orders, which only repeats or drops rows (SR names none of its columns)',
    ]);
  });

  it('notes tables no condition links to the rest, and joins that change rows through others', () => {
    const three: Schema = {
      ...schema,
      tables: [
        ...schema.tables,
        {
          name: 'items',
          columns: [
            { name: 'id', type: 'INTEGER' },
            { name: 'order_id', type: 'INTEGER' },
            { name: 'price', type: 'REAL' },
          ],
          primaryKey: ['id'],
        },
      ],
      foreignKeys: [
        ...schema.foreignKeys,
        { fromTable: 'items', fromColumn: 'order_id', toTable: 'orders', toColumn: 'id' },
      ],
    };
    const read = (sql: string) => sqlToSr(parseSql(sql), three);
    // The table in FROM is the one left out: every customer with every priced item.
    expect(
      read('SELECT c.name FROM customers c, orders o, items i WHERE i.order_id = o.id').lossy,
    ).toEqual(['a join of customers without a condition (every row with every row)']);
    // Linked through another table, nothing is lost.
    expect(
      read(
        'SELECT c.name FROM customers c, orders o, items i WHERE i.order_id = o.id AND o.customer_id = c.id',
      ).lossy,
    ).toEqual([]);
    expect(
      read(
        'SELECT c.name FROM customers c JOIN orders o JOIN items i ON i.order_id = o.id AND o.customer_id = c.id',
      ).lossy,
    ).toEqual([]);
    // Customers once per item of theirs: orders lies between, named nowhere, and is joined
    // again too (it reaches items).
    const chained = read(
      'SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id JOIN items i ON i.order_id = o.id',
    );
    expect(chained.rejoin).toEqual(['orders', 'items']);
    expect(chained.lossy).toEqual([]);
    // A table read in a join SR writes as a filter (`attendance.link_to_event in …`) is named.
    const bird = JSON.parse(readFileSync(join(BIRD_DEV_EVEN, 'tables.json'), 'utf8'));
    const club = sqlToSr(
      parseSql(
        "SELECT DISTINCT T3.first_name, T4.amount FROM event AS T1 INNER JOIN attendance AS T2 ON T1.event_id = T2.link_to_event INNER JOIN member AS T3 ON T3.member_id = T2.link_to_member INNER JOIN income AS T4 ON T4.link_to_member = T3.member_id WHERE T4.date_received = '2019-09-09'",
      ),
      schemaForDb(bird, 'student_club'),
    );
    expect(club.sr).toContain("element = attendance.link_to_event, filter = 'in'");
    expect(club.lossy).toEqual([]);
  });

  it('follows BAM in ranges, alternatives, IN lists, years, ordering and names', () => {
    // A range on one column is one step; alternatives of several conditions become frames.
    expect(sr('SELECT name FROM customers WHERE id > 1 AND id < 9')).toBe(
      "df1 = df.where(element = customers.id, filter = '> 1').where(element = customers.id, filter = '< 9')\nres = df1.select(customers.name)",
    );
    expect(
      sr(
        "SELECT name FROM customers WHERE (city = 'Oslo' AND id > 2) OR (city = 'Bergen' AND id < 5)",
      ),
    ).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo').where(element = customers.id, filter = '> 2')",
        "df2 = df.where(element = customers.city, filter = 'Bergen').where(element = customers.id, filter = '< 5')",
        'res = df1.union(df2).select(customers.name)',
      ].join('\n'),
    );
    expect(sr("SELECT name FROM customers WHERE city IN ('Oslo', 'Bergen')")).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df.where(element = customers.city, filter = 'Bergen')",
        'res = df1.union(df2).select(customers.name)',
      ].join('\n'),
    );
    expect(sr("SELECT id FROM orders WHERE strftime('%Y', `Order Date`) = '2011'")).toBe(
      'df1 = df.where(element = orders.`Order Date`, filter = "like \'2011%\'")\nres = df1.select(orders.id)',
    );
    // Ordered by an aggregate it does not show: the groups are ordered directly.
    expect(
      sr('SELECT customer_id FROM orders GROUP BY customer_id ORDER BY SUM(amount) DESC LIMIT 1'),
    ).toBe(
      'df1 = df.groupby(orders.customer_id).orderby(by = sum(orders.amount), desc).limit(1)\nres = df1.select(orders.customer_id)',
    );
    expect(sr('SELECT DISTINCT city FROM customers ORDER BY city LIMIT 2')).toBe(
      'res = df.select(customers.city).distinct().orderby(by = customers.city).limit(2)',
    );
    expect(sr('SELECT name FROM customers ORDER BY city, name')).toBe(
      'df1 = df.orderby(by = [customers.city, customers.name])\nres = df1.select(customers.name)',
    );
    // Conditions on two copies of one table: one frame per copy, intersected.
    expect(
      sr(
        'SELECT c.name FROM customers c JOIN orders a ON a.customer_id = c.id JOIN orders b ON b.customer_id = c.id WHERE a.amount > 5 AND b.amount < 2',
      ),
    ).toBe(
      [
        "df1 = df.where(element = orders.amount, filter = '> 5')",
        "df2 = df.where(element = orders.amount, filter = '< 2')",
        'res = df1.intersect(df2).select(customers.name)',
      ].join('\n'),
    );
    // One DISTINCT column after several conditions is `select(distinct(…))`.
    expect(sr("SELECT DISTINCT name FROM customers WHERE city = 'Oslo' AND id > 2")).toBe(
      [
        "df1 = df.where(element = customers.city, filter = 'Oslo')",
        "df2 = df1.where(element = customers.id, filter = '> 2')",
        'res = df2.select(distinct(customers.name))',
      ].join('\n'),
    );
    // With CTEs, a frame's conditions share one step.
    expect(
      sr(
        'WITH big AS (SELECT customer_id FROM orders WHERE amount > 5 AND id < 100) SELECT COUNT(*) FROM big',
      ).split('\n')[0],
    ).toBe(
      "df1 = df.where(element = orders.amount, filter = '> 5').where(element = orders.id, filter = '< 100')",
    );
    // Computed items keep their names; plain columns and aggregates do not.
    expect(
      sr("SELECT name AS n, name || ' ' || city AS label, COUNT(*) AS total FROM customers"),
    ).toBe(
      "res = df.select(customers.name, customers.name || ' ' || customers.city as label, count())",
    );
    // COUNT(*) over a table that is only looked up through a foreign key: `count()`.
    expect(
      sr(
        'SELECT COUNT(*) FROM orders o JOIN customers c ON o.customer_id = c.id WHERE o.amount > 5',
      ),
    ).toBe("df1 = df.where(element = orders.amount, filter = '> 5')\nres = df1.count()");
  });

  it('reports copies of one table that the SQL tells apart and SR names alike', () => {
    const approx = (sql: string) => sqlToSr(parseSql(sql), schema).approximations;
    // A table joined to itself.
    expect(
      approx(
        "SELECT c.name FROM customers c JOIN customers d ON c.city = d.city WHERE d.name = 'Ann'",
      ),
    ).toEqual(['2 copies of customers (c, d), both named customers']);
    // Copies joined on different keys (the roles of eye and hair colour).
    expect(
      approx(
        'SELECT o.amount FROM orders o JOIN customers a ON o.customer_id = a.id JOIN customers b ON o.id = b.id',
      ),
    ).toEqual(['2 copies of customers (a, b), both named customers']);
    // Their names are all that tells the copies apart in the trajectory: they are kept.
    expect(
      sr(
        'SELECT c.name AS customer, d.name AS neighbour FROM customers c JOIN customers d ON c.city = d.city',
      ),
    ).toBe('res = df.select(customers.name as customer, customers.name as neighbour)');
    // `*` over joined tables is every column of each, in FROM order.
    expect(sr('SELECT * FROM orders o JOIN customers c ON o.customer_id = c.id')).toBe(
      'res = df.select(orders.*, customers.*)',
    );
    expect(sr('SELECT * FROM orders')).toBe('res = df.select(*)');
    expect(sr('SELECT c.name AS customer FROM customers c')).toBe(
      'res = df.select(customers.name)',
    );
    // A join with no condition is every row with every row, which SR cannot say.
    expect(approx("SELECT c.name FROM customers c JOIN orders o WHERE c.city = 'Oslo'")).toEqual([
      'a join of orders without a condition (every row with every row)',
    ]);
    expect(approx('SELECT c.name FROM customers c, orders o WHERE o.customer_id = c.id')).toEqual(
      [],
    );
    // Copies joined alike are interchangeable: nothing is lost.
    expect(
      approx(
        'SELECT c.name FROM customers c JOIN orders a ON a.customer_id = c.id JOIN orders b ON b.customer_id = c.id WHERE a.amount > 5 AND b.amount < 2',
      ),
    ).toEqual([]);
  });

  it('writes set operations over earlier results and reports what it only approximates', () => {
    expect(sr('SELECT name FROM customers UNION SELECT city FROM customers')).toBe(
      'tmp_res1 = df.select(customers.name)\ntmp_res2 = df.select(customers.city)\nres = tmp_res1.union(tmp_res2)',
    );
    const correlated = sqlToSr(
      parseSql(
        'SELECT id FROM orders o WHERE amount > (SELECT AVG(amount) FROM orders o2 WHERE o2.id < o.id)',
      ),
      schema,
    );
    expect(correlated.approximations).toContain('a correlated subquery');
    // Compiled back, the subquery would not be correlated (SR names both copies of orders
    // alike): a loss, unlike a LEFT JOIN SR cannot say, which comes back from the SQL's keys.
    expect(correlated.lossy).toEqual(['a correlated subquery']);
    const left = sqlToSr(
      parseSql(
        'SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id OR o.id = c.id',
      ),
      schema,
    );
    expect(left.approximations).toContain('LEFT JOIN (written as a plain join)');
  });

  it('says a LEFT JOIN as a leftjoin step: of a table, of an earlier result, joined to one', () => {
    const said = (sql: string) => {
      const r = sqlToSr(parseSql(sql), schema);
      expect(r.approximations).toEqual([]);
      expect(r.lossy).toEqual([]);
      return r.sr;
    };
    expect(
      said(
        'SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.id',
      ),
    ).toBe(
      [
        'df1 = df.leftjoin(orders, on = customers.id = orders.customer_id)',
        'df2 = df1.groupby(customers.id).agg(count(orders.id))',
        'res = df2.select(customers.name, count(orders.id))',
      ].join('\n'),
    );
    // The earlier result is read from then on; the column it is joined by is the one it passes on.
    expect(
      said(
        "WITH t AS (SELECT customer_id, SUM(amount) AS spent FROM orders GROUP BY customer_id) SELECT c.name, COALESCE(t.spent, 0) FROM customers c LEFT JOIN t ON t.customer_id = c.id WHERE c.city = 'Oslo'",
      ),
    ).toBe(
      [
        'df1 = df.groupby(orders.customer_id).agg(sum(orders.amount))',
        'df2 = df1.select(orders.customer_id, sum(orders.amount) as spent)',
        'df3 = df.leftjoin(df2, on = customers.id = orders.customer_id)',
        "df4 = df3.where(element = customers.city, filter = 'Oslo')",
        'res = df4.select(customers.name, coalesce(spent, 0))',
      ].join('\n'),
    );
    expect(
      said(
        'SELECT t.id, o.amount FROM (SELECT id FROM customers WHERE city = 1) t LEFT JOIN orders o ON o.customer_id = t.id',
      ),
    ).toBe(
      [
        'df1 = df.where(element = customers.city, filter = 1)',
        'tmp_res1 = df1.select(customers.id)',
        'df2 = tmp_res1.leftjoin(orders, on = customers.id = orders.customer_id)',
        'res = df2.select(customers.id, orders.amount)',
      ].join('\n'),
    );
    // Values no row of the tables changes (uncorrelated subqueries) may be compared with in
    // the ON; a correlated one is reported.
    expect(
      said(
        'SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.amount > (SELECT AVG(amount) FROM orders) AND o.id IN (SELECT id FROM orders WHERE amount < 100) GROUP BY c.id',
      ).split('\n')[3],
    ).toBe(
      'df2 = df.leftjoin(orders, on = customers.id = orders.customer_id and orders.amount > tmp_res1 and orders.id in tmp_res2)',
    );
    expect(
      sqlToSr(
        parseSql(
          'SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND EXISTS (SELECT 1 FROM orders p WHERE p.id = o.id + 1)',
        ),
        schema,
      ).lossy,
    ).toEqual(['a condition in the ON of the LEFT JOIN with orders']);
    // A second CTE beside the first; a column name both have is named by its step.
    expect(
      said(
        'WITH a AS (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id), b AS (SELECT customer_id, SUM(amount) AS n FROM orders WHERE amount > 10 GROUP BY customer_id) SELECT c.name, COALESCE(a.n, 0), COALESCE(b.n, 0) FROM customers c LEFT JOIN a ON a.customer_id = c.id LEFT JOIN b ON b.customer_id = c.id',
      )
        .split('\n')
        .slice(5),
    ).toEqual([
      'df6 = df.leftjoin(df2, on = customers.id = orders.customer_id)',
      'df7 = df6.leftjoin(df5, on = customers.id = orders.customer_id)',
      'res = df7.select(customers.name, coalesce(df2.n, 0), coalesce(df5.n, 0))',
    ]);
    // Two CTEs joined side by side: `join`, on the columns of their steps.
    expect(
      said(
        'WITH a AS (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id), b AS (SELECT customer_id, SUM(amount) AS s FROM orders WHERE amount > 10 GROUP BY customer_id) SELECT a.customer_id, a.n, b.s FROM a JOIN b ON b.customer_id = a.customer_id',
      )
        .split('\n')
        .slice(5),
    ).toEqual([
      'df6 = df2.join(df5, on = df2.customer_id = df5.customer_id)',
      'res = df6.select(orders.customer_id, n, s)',
    ]);
    // Derived tables likewise: the second is a step of its own.
    expect(
      said(
        'SELECT l.customer_id, l.n, p.n FROM (SELECT customer_id, COUNT(*) AS n FROM orders GROUP BY customer_id) l LEFT JOIN (SELECT customer_id, COUNT(*) AS n FROM orders WHERE amount > 10 GROUP BY customer_id) p ON p.customer_id = l.customer_id',
      )
        .split('\n')
        .slice(4),
    ).toEqual([
      'tmp_res2 = df3.select(orders.customer_id, count as n)',
      'df4 = tmp_res1.leftjoin(tmp_res2, on = tmp_res1.customer_id = tmp_res2.customer_id)',
      'res = df4.select(orders.customer_id, tmp_res1.n, tmp_res2.n)',
    ]);
    // A key inside expressions, conditions beside it: the whole ON.
    expect(
      said(
        "SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id + 1 AND TRIM(o.`Order Date`) = '2020' AND o.id = c.id WHERE o.id IS NULL",
      ).split('\n')[0],
    ).toBe(
      "df1 = df.leftjoin(orders, on = customers.id + 1 = orders.customer_id and trim(orders.`Order Date`) == '2020' and orders.id == customers.id)",
    );
  });

  it('spells BETWEEN as BAM does: lower case around quoted dates, capitals around words and numbers', () => {
    expect(sr("SELECT COUNT(*) FROM customers WHERE name BETWEEN 'A' AND 'M'")).toBe(
      "df1 = df.where(element = customers.name, filter = 'BETWEEN A AND M')\nres = df1.count()",
    );
    expect(sr('SELECT COUNT(*) FROM customers WHERE id BETWEEN 1 AND 9')).toBe(
      "df1 = df.where(element = customers.id, filter = 'BETWEEN 1 AND 9')\nres = df1.count()",
    );
    expect(
      sr("SELECT COUNT(*) FROM orders WHERE `Order Date` BETWEEN '2020-01-01' AND '2020-12-31'"),
    ).toBe(
      "df1 = df.where(element = orders.`Order Date`, filter = 'between 2020-01-01 and 2020-12-31')\nres = df1.count()",
    );
  });

  it('names the aggregates of a grouped CTE inside its grouping step', () => {
    expect(
      sr(
        'WITH spend AS (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) SELECT AVG(total) FROM spend',
      ),
    ).toBe(
      'df1 = df.groupby(orders.customer_id).agg(sum(orders.amount) as total)\nres = df1.select(avg(total))',
    );
    expect(
      sr(
        'WITH n AS (SELECT customer_id, COUNT(*) AS orders_count FROM orders GROUP BY customer_id) SELECT MAX(orders_count) FROM n',
      ),
    ).toBe('df1 = df.groupby(orders.customer_id).count()\nres = df1.select(max(count))');
    // A computed key keeps its name, which later steps read.
    expect(
      sr(
        "WITH y AS (SELECT substr(`Order Date`, 1, 4) AS year, SUM(amount) AS total FROM orders GROUP BY year) SELECT total FROM y WHERE year = '2020'",
      ).split('\n')[0],
    ).toBe(
      'df1 = df.groupby(substr(orders.`Order Date`, 1, 4) as year).agg(sum(orders.amount) as total)',
    );
  });

  it('writes a value that would read as an operator or pattern with an explicit "="', () => {
    expect(sr("SELECT Name FROM customers WHERE city = '<humor>' AND name = '='")).toBe(
      "df1 = df.where(element = customers.city, filter = \"= '<humor>'\")\ndf2 = df1.where(element = customers.name, filter = '=')\nres = df2.select(customers.name)",
    );
  });

  it('writes a scalar subquery inside an expression as a step, not as an aggregate of the outer rows', () => {
    expect(sr('SELECT COUNT(*) * 100.0 / (SELECT COUNT(*) FROM orders) FROM customers')).toBe(
      'tmp_res1 = df.count(orders.*)\nres = df.select(count(customers.*) * 100.0 / tmp_res1)',
    );
  });

  it('writes a window as keyword arguments, and notes what it leaves out', () => {
    expect(
      sr('SELECT name, RANK() OVER (PARTITION BY city ORDER BY name DESC) FROM customers'),
    ).toBe(
      'res = df.select(customers.name, rank(partition = customers.city, by = customers.name, desc))',
    );
    const framed = sqlToSr(
      parseSql(
        'SELECT SUM(amount) OVER (ORDER BY order_id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM orders',
      ),
      schema,
    );
    expect(framed.approximations).toContain('a window function');
  });

  it('reads SQLite trim(x) and trim(x, chars) as functions', () => {
    expect(sr("SELECT trim(name) FROM customers WHERE trim(city, '.') != ''")).toBe(
      "df1 = df.where(element = trim(customers.city, '.'), filter = \"!= ''\")\nres = df1.select(trim(customers.name))",
    );
  });

  it('writes year comparisons and date prefixes as BAM does, on the column itself', () => {
    expect(sr("SELECT COUNT(*) FROM orders WHERE strftime('%Y', `Order Date`) > '2013'")).toBe(
      'df1 = df.where(element = orders.`Order Date`, filter = "year > 2013")\nres = df1.count()',
    );
    expect(sr("SELECT COUNT(*) FROM orders WHERE substr(`Order Date`, 1, 4) = '2012'")).toBe(
      "df1 = df.where(element = orders.`Order Date`, filter = 'like 2012%')\nres = df1.count()",
    );
    // Not a prefix of the same length: kept as written.
    expect(sr("SELECT COUNT(*) FROM orders WHERE substr(`Order Date`, 1, 4) = '12'")).toBe(
      "df1 = df.where(element = substr(orders.`Order Date`, 1, 4), filter = '12')\nres = df1.count()",
    );
  });

  it('writes a list of values as BAM does (IN, values = [...])', () => {
    expect(sr("SELECT COUNT(*) FROM customers WHERE city IN ('Oslo', 'Bergen')")).toBe(
      "df1 = df.where(element = customers.city, filter = 'IN', values = ['Oslo', 'Bergen'])\nres = df1.count()",
    );
    expect(sr('SELECT name FROM customers WHERE id NOT IN (1, 2)')).toBe(
      "df1 = df.where(element = customers.id, filter = 'not in', values = [1, 2])\nres = df1.select(customers.name)",
    );
  });

  it('writes comparisons of one column joined by OR as one filter', () => {
    expect(sr('SELECT COUNT(*) FROM orders WHERE amount < 5 OR amount > 100')).toBe(
      "df1 = df.where(element = orders.amount, filter = '< 5 OR > 100')\nres = df1.count()",
    );
  });

  it('filters one column by another as BAM does', () => {
    expect(sr('SELECT COUNT(*) FROM orders WHERE amount > customer_id')).toBe(
      "df1 = df.where(element = orders.amount, filter = '> orders.customer_id')\nres = df1.count()",
    );
    expect(sr('SELECT COUNT(*) FROM orders WHERE amount = customer_id')).toBe(
      'df1 = df.where(element = orders.amount, filter = orders.customer_id)\nres = df1.count()',
    );
  });

  it('keeps the name of a SUM per group, as BAM mostly does, and drops other aggregate names', () => {
    expect(
      sr(
        'SELECT customer_id, SUM(amount) AS spent FROM orders GROUP BY customer_id ORDER BY spent DESC LIMIT 1',
      ),
    ).toBe(
      [
        'df1 = df.groupby(orders.customer_id).agg(sum(orders.amount))',
        'df2 = df1.orderby(by = sum(orders.amount), desc).limit(1)',
        'res = df2.select(orders.customer_id, sum(orders.amount) as spent)',
      ].join('\n'),
    );
    expect(
      sr(
        'SELECT customer_id, AVG(amount) AS mean FROM orders GROUP BY customer_id ORDER BY mean DESC LIMIT 1',
      ),
    ).toBe(
      [
        'df1 = df.groupby(orders.customer_id).agg(avg(orders.amount))',
        'df2 = df1.orderby(by = avg(orders.amount), desc).limit(1)',
        'res = df2.select(orders.customer_id, avg(orders.amount))',
      ].join('\n'),
    );
  });

  it('writes an inner join’s ON condition other than a key as a filter, and says one in a LEFT JOIN’s ON there', () => {
    expect(
      sr('SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id AND o.amount > 10'),
    ).toBe(
      "df1 = df.where(element = orders.amount, filter = '> 10')\nres = df1.select(customers.name)",
    );
    const left = sqlToSr(
      parseSql(
        'SELECT c.name, COUNT(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id AND o.amount > 10 GROUP BY c.name',
      ),
      schema,
    );
    expect(left.lossy).toEqual([]);
    expect(left.sr.split('\n')[0]).toBe(
      'df1 = df.leftjoin(orders, on = customers.id = orders.customer_id and orders.amount > 10)',
    );
    // A condition of both tables other than two columns made equal filters pairs of rows.
    expect(
      sr(
        'SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id AND o.amount > c.id',
      ),
    ).toBe(
      "df1 = df.where(element = orders.amount, filter = '> customers.id')\nres = df1.select(customers.name)",
    );
    expect(
      sr('SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id OR o.id = c.id'),
    ).toBe(
      [
        'df1 = df.where(element = orders.customer_id, filter = customers.id).orwhere(element = orders.id, filter = customers.id)',
        'res = df1.select(customers.name)',
      ].join('\n'),
    );
    const leftOr = sqlToSr(
      parseSql(
        'SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id OR o.id = c.id',
      ),
      schema,
    );
    expect(leftOr.lossy).toEqual(['a condition in the ON of the LEFT JOIN with orders']);
  });

  it('reports as lost what compiling back cannot restore, and not a correlation it can', () => {
    const lossy = (sql: string) => sqlToSr(parseSql(sql), schema).lossy;
    // EXISTS correlated on a foreign key to a table it does not read: compiled back as it was.
    expect(
      lossy(
        'SELECT name FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id)',
      ),
    ).toEqual([]);
    // A copy of the outer table inside: SR names both alike.
    expect(
      lossy(
        'SELECT id FROM orders o WHERE amount > (SELECT AVG(amount) FROM orders o2 WHERE o2.customer_id = o.id)',
      ),
    ).toEqual(['a correlated subquery']);
    // Or a copy of the outer query's CTE, tied to the outer row other than by equal columns.
    const spend =
      'WITH s AS (SELECT customer_id, SUM(amount) AS total FROM orders GROUP BY customer_id) SELECT a.customer_id FROM s a WHERE a.total';
    expect(
      lossy(`${spend} > (SELECT AVG(b.total) FROM s b WHERE b.customer_id <> a.customer_id)`),
    ).toEqual(['a correlated subquery']);
    // A join on a key a CTE computes: SR → SQL would join on the table's own key.
    expect(
      lossy(
        'WITH d AS (SELECT customer_id + 0 AS cid, COUNT(*) AS n FROM orders GROUP BY customer_id + 0) SELECT c.name, d.n FROM customers c JOIN d ON c.id = d.cid',
      ),
    ).toEqual(['a join with d on a column it computes (cid)']);
    // Unless it only groups the table: rows compared with an aggregate of their own group.
    const lossless = (sql: string) => {
      const r = sqlToSr(parseSql(sql), schema);
      expect(r.lossy).toEqual([]);
      return r.sr.split('\n');
    };
    expect(
      lossless(
        'SELECT id FROM orders o WHERE amount > (SELECT AVG(amount) FROM orders o2 WHERE o2.customer_id = o.customer_id)',
      ),
    ).toEqual([
      'df1 = df.groupby(orders.customer_id).agg(avg(orders.amount) as avg_amount)',
      "df2 = df1.where(element = orders.amount, filter = '> avg_amount')",
      'res = df2.select(orders.id)',
    ]);
    // Also when the subquery counts only some rows of the group: they are filtered before it.
    expect(
      lossless(
        'SELECT id FROM orders o WHERE amount = (SELECT MAX(u.amount) FROM orders u WHERE u.customer_id = o.customer_id AND u.amount < 1000)',
      )[0],
    ).toBe(
      "df1 = df.where(element = orders.amount, filter = '< 1000').groupby(orders.customer_id).agg(max(orders.amount) as max_amount)",
    );
    // Also over the rows of a CTE: a grouping of that result (each customer beside the best).
    expect(
      lossless(
        `${spend} = (SELECT MAX(b.total) FROM s b WHERE b.customer_id = a.customer_id)`,
      ).slice(1, 3),
    ).toEqual([
      'df2 = df1.groupby(orders.customer_id).agg(max(total) as max_total)',
      'df3 = df2.where(element = total, filter = max_total)',
    ]);
    // Or compares an expression of the row's columns (a number stored as text, cast).
    expect(
      lossless(
        'SELECT id FROM orders o WHERE CAST(o.amount AS INTEGER) = (SELECT MAX(CAST(u.amount AS INTEGER)) FROM orders u WHERE u.customer_id = o.customer_id)',
      ),
    ).toEqual([
      'df1 = df.groupby(orders.customer_id).agg(max(cast(orders.amount, integer)) as max_amount)',
      'df2 = df1.where(element = cast(orders.amount, integer), filter = max_amount)',
      'res = df2.select(orders.id)',
    ]);
    // A join on two columns: SR says no key; the fast preset restores the SQL's own.
    expect(
      sqlToSr(
        parseSql(
          'SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id AND o.id = c.id',
        ),
        schema,
      ).approximations,
    ).toEqual(['a join on several columns (SR says no key)']);
    // A lookup along the foreign key keeps every row; one on another column may drop rows.
    expect(
      lossy(
        'SELECT name FROM customers WHERE id IN (SELECT o.customer_id FROM orders o JOIN customers c ON c.id = o.customer_id)',
      ),
    ).toEqual([]);
    expect(
      lossy(
        'SELECT name FROM customers WHERE id = (SELECT c.id FROM customers c JOIN orders o ON o.id = c.id)',
      ),
    ).toEqual([
      'the join with orders, which only repeats or drops rows (SR names none of its columns)',
    ]);
    // Inside IN only the values count: the join is said as a filter and nothing is lost.
    expect(
      lossy(
        'SELECT name FROM customers WHERE id IN (SELECT c.id FROM customers c JOIN orders o ON o.id = c.id)',
      ),
    ).toEqual([]);
    // Copies of one table joined on different columns of a one-row result, through CASTs.
    expect(
      lossy(
        'WITH o AS (SELECT * FROM orders ORDER BY amount LIMIT 1) SELECT a.name, b.name FROM o JOIN customers a ON a.id = CAST(o.customer_id AS INTEGER) JOIN customers b ON b.id = CAST(o.id AS INTEGER)',
      ),
    ).toEqual(['2 copies of customers (a, b), both named customers']);
  });

  it('orders by an output alias rather than a source column of the same name, as SQLite does', () => {
    // In ORDER BY a bare name that is an output alias is that output column.
    expect(
      sr('SELECT id, ROUND(amount, 0) AS amount FROM orders ORDER BY amount DESC').split('\n')[0],
    ).toBe('df1 = df.orderby(by = round(orders.amount, 0), desc)');
    // Inside an expression, or qualified, it is the source column.
    expect(
      sr('SELECT id, ROUND(amount, 0) AS amount FROM orders ORDER BY orders.amount DESC').split(
        '\n',
      )[0],
    ).toBe('df1 = df.orderby(by = orders.amount, desc)');
  });
});

import type { ForeignKey, Schema } from '../schema/schema';
import type { JoinKey } from '../sql/analyze';
import type { Join, SqlExpr, TableRef } from '../sql/ast';
import { SrCompileError } from './errors';

interface Edge {
  to: string;
  on: [fromColumn: string, toColumn: string];
  /** A key the SQL being corrected joined on. */
  preferred?: boolean;
  /** That SQL joined `to` by a LEFT JOIN: every row of this side is kept. */
  outer?: boolean;
  /** Along the key, from the referencing table to the one it references. */
  up?: boolean;
}

/**
 * The FROM clause joining `tables` along foreign keys: a shortest connecting tree, grown
 * from the first table by repeatedly adding the shortest key path to the nearest table not
 * yet joined (intermediate tables join in as needed). Keys in `preferred` (those the SQL
 * being corrected joined on, declared or not) are tried before the schema's, and among
 * equally short paths the one using fewest other keys wins: the joins the user wrote. Of
 * several keys between the same two tables whose columns are not same-named, one whose
 * referencing column the trajectory names (`named`: lower-case `table.column`, e.g.
 * `routes.src_apid` grouped on) comes first, then one in whose role it reads another column
 * (`winner_rank_points` for `winner_id`). A
 * preferred key the SQL joined by an outer join (`JoinKey.outer`) is a LEFT JOIN again when
 * the tree grows from the side it kept (see `outerFirst`). Throws SrCompileError when some
 * table has no key path to the others.
 */
export function joinTree(
  schema: Schema,
  tables: string[],
  hints: {
    preferred?: readonly JoinKey[];
    named?: ReadonlySet<string>;
    said?: readonly ForeignKey[];
  } = {},
): { from: TableRef; joins: Join[] } {
  const preferred = hints.preferred ?? [];
  if (tables.length === 0) throw new SrCompileError('the trajectory names no table to read from');
  const canonical = (name: string) =>
    schema.tables.find((t) => t.name.toLowerCase() === name.toLowerCase())?.name ?? name;
  const wanted = [...new Set(tables.map(canonical))];
  const graph = new Map<string, Edge[]>();
  const add = (
    a: string,
    b: string,
    ca: string,
    cb: string,
    kind?: 'preferred' | 'outer',
    up = false,
  ) => {
    const list = graph.get(a) ?? [];
    list.push({
      to: b,
      on: [ca, cb],
      ...(up ? { up } : {}),
      ...(kind ? { preferred: true } : {}),
      ...(kind === 'outer' ? { outer: true } : {}),
    });
    graph.set(a, list);
  };
  // Of several keys between two tables, the one whose columns share a name (`connected.atom_id`
  // -> `atom.atom_id` rather than `atom_id2`) is the natural join: it is tried first; then one
  // whose column the trajectory names; then one whose role it reads (below); then the one
  // whose column comes first in its table
  // (`eye_colour_id` before `hair_colour_id`, `home_team_api_id` before `away_team_api_id`),
  // whatever order the keys were declared in.
  const sameName = (fk: ForeignKey) =>
    fk.fromColumn.toLowerCase() === fk.toColumn.toLowerCase() ? 0 : 1;
  const position = (fk: ForeignKey) => {
    const table = schema.tables.find((t) => t.name.toLowerCase() === fk.fromTable.toLowerCase());
    const i = table?.columns.findIndex((c) => c.name.toLowerCase() === fk.fromColumn.toLowerCase());
    return i === undefined || i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  // Keys between the same two tables trade places only among themselves: the order of keys
  // across pairs (which breaks ties between equally short paths) stays as declared.
  const keys = [...schema.foreignKeys].sort((a, b) => sameName(a) - sameName(b));
  const pairOf = (fk: ForeignKey) =>
    [canonical(fk.fromTable), canonical(fk.toTable)].sort().join('\u0000');
  const byPair = new Map<string, Schema['foreignKeys']>();
  for (const fk of keys) byPair.set(pairOf(fk), [...(byPair.get(pairOf(fk)) ?? []), fk]);
  const named = (fk: ForeignKey) =>
    hints.named?.has(`${fk.fromTable}.${fk.fromColumn}`.toLowerCase()) ? 0 : 1;
  // The role a key's column plays (`winner` of `winner_id`, `home` of `home_team_api_id`):
  // a trajectory that reads another column in that role (`matches.winner_rank_points`)
  // means the row of that role.
  const role = (fk: ForeignKey) => {
    const prefix = rolePrefix(fk.fromColumn);
    if (!prefix || !hints.named) return 1;
    const table = `${fk.fromTable}.`.toLowerCase();
    for (const n of hints.named) {
      if (!n.startsWith(table)) continue;
      const column = n.slice(table.length);
      if (column !== fk.fromColumn.toLowerCase() && rolePrefix(column) === prefix) return 0;
    }
    return 1;
  };
  for (const list of byPair.values()) {
    // A role says something only when the keys play different ones.
    const roles = new Set(list.map((fk) => rolePrefix(fk.fromColumn)));
    const byRole = (fk: ForeignKey) => (roles.size === list.length ? role(fk) : 1);
    list.sort(
      (a, b) =>
        sameName(a) - sameName(b) ||
        named(a) - named(b) ||
        byRole(a) - byRole(b) ||
        (sameName(a) === 0 ? 0 : position(a) - position(b)),
    );
  }
  const next = new Map<string, number>();
  keys.forEach((fk, i) => {
    const pair = pairOf(fk);
    const at = next.get(pair) ?? 0;
    keys[i] = byPair.get(pair)![at]!;
    next.set(pair, at + 1);
  });
  const lowerKey = (fk: ForeignKey) =>
    [`${fk.fromTable}.${fk.fromColumn}`.toLowerCase(), `${fk.toTable}.${fk.toColumn}`.toLowerCase()]
      .sort()
      .join('=');
  const preferredKeys = new Set(preferred.map(lowerKey));
  for (const fk of [...preferred, ...keys.filter((k) => !preferredKeys.has(lowerKey(k)))]) {
    const from = canonical(fk.fromTable);
    const to = canonical(fk.toTable);
    if (from === to) continue;
    const user = preferredKeys.has(lowerKey(fk)) ? 'preferred' : undefined;
    add(from, to, fk.fromColumn, fk.toColumn, (fk as JoinKey).outer ? 'outer' : user, true);
    add(to, from, fk.toColumn, fk.fromColumn, user);
  }
  const linked = (a: string, b: string) => graph.get(a)?.some((e) => e.to === b) ?? false;
  // A column with the name and type of another table's one-column primary key (`loan.cust_ID`
  // -> `customer.cust_ID`) refers to it, declared or not: it joins like a declared key, so a
  // longer declared path (the loan's branch's customers) does not win over it. Not a table's
  // own whole key (two tables sharing a key are not one referring to the other), and not a
  // bare `id`, which says nothing about what it identifies (swimming's `record.ID` is the
  // record's own number, though the schema declares `Swimmer_ID` its key, not a stadium's).
  for (const table of schema.tables) {
    for (const other of schema.tables) {
      const [pk, ...more] = other.primaryKey;
      const key = pk && !more.length ? other.columns.find((c) => same(c.name, pk)) : undefined;
      if (other === table || !key || same(key.name, 'id') || linked(table.name, other.name))
        continue;
      if (table.primaryKey.length === 1 && same(table.primaryKey[0]!, key.name)) continue;
      const column = table.columns.find((c) => same(c.name, key.name) && same(c.type, key.type));
      if (!column) continue;
      add(table.name, other.name, column.name, key.name, undefined, true);
      add(other.name, table.name, key.name, column.name);
    }
  }
  // Keys the schema does not declare but its names imply (`flights.Airline` -> `airlines`'s
  // primary key): used only when declared keys leave a table unreachable.
  // Likewise `cards.setCode` -> `sets.code` (the table's singular name, then one of its columns).
  const implicit = new Map<string, Edge[]>();
  const imply = (table: string, other: string, column: string, target: string) => {
    for (const [a, b, ca, cb] of [
      [table, other, column, target],
      [other, table, target, column],
    ] as const) {
      const list = implicit.get(a) ?? [];
      list.push({ to: b, on: [ca, cb], ...(a === table ? { up: true } : {}) });
      implicit.set(a, list);
    }
  };
  for (const table of schema.tables) {
    for (const other of schema.tables) {
      if (other === table || linked(table.name, other.name)) continue;
      const stem = singular(other.name.toLowerCase());
      for (const column of table.columns) {
        const lower = column.name.toLowerCase();
        if (other.primaryKey.length === 1 && lower.replace(/_?id$/, '') === stem) {
          imply(table.name, other.name, column.name, other.primaryKey[0]!);
          continue;
        }
        // Without a declared key, a table's own `id` is its key (`role_mapping.name_id` ->
        // `names.id`), as in many an application's database.
        const id = other.primaryKey.length === 0 && other.columns.find((c) => same(c.name, 'id'));
        if (id && /_?id$/.test(lower) && lower.replace(/_?id$/, '') === stem) {
          imply(table.name, other.name, column.name, id.name);
          continue;
        }
        if (!lower.startsWith(stem) || lower.length <= stem.length) continue;
        const rest = lower.slice(stem.length).replace(/^_/, '');
        const target = other.columns.find((c) => c.name.toLowerCase() === rest);
        if (target && rest !== 'id' && rest.length > 1)
          imply(table.name, other.name, column.name, target.name);
      }
    }
  }
  // Last, when neither declared nor implied keys reach a table: a column both tables have
  // whose name says it identifies something (`customer_id`, `product_code`, `id_bioguide`;
  // not a bare `id`), referring to the table named after it (`olist_orders.customer_id` ->
  // `olist_customers`). Spider 2.0's SQLite databases declare no keys at all. One whose name
  // names no table (northwind's `postalcode`, AdventureWorks' `rowguid`; California's `case_id`
  // does: `case_ids`) is an attribute tables happen to share more often than a reference: it
  // joins only what nothing else reaches.
  const implied = (a: string, b: string) => implicit.get(a)?.some((e) => e.to === b) ?? false;
  const namesTable = (stem: string, column: string) =>
    schema.tables.some((t) => {
      const name = singular(t.name.toLowerCase());
      return name.endsWith(stem) || name === column.toLowerCase();
    });
  const shared = new Map<string, Edge[]>();
  const sharedAttribute = new Map<string, Edge[]>();
  for (const table of schema.tables) {
    for (const other of schema.tables) {
      if (other === table || linked(table.name, other.name) || implied(table.name, other.name))
        continue;
      for (const column of table.columns) {
        const stem = identifierStem(column.name);
        if (stem === undefined) continue;
        const target = other.columns.find(
          (c) =>
            same(c.name, column.name) && (!c.type || !column.type || same(c.type, column.type)),
        );
        if (!target) continue;
        const tier = namesTable(stem, column.name) ? shared : sharedAttribute;
        const list = tier.get(table.name) ?? [];
        const up = singular(other.name.toLowerCase()).endsWith(stem);
        list.push({ to: other.name, on: [column.name, target.name], ...(up ? { up } : {}) });
        tier.set(table.name, list);
      }
    }
  }
  // An equality the trajectory states between columns of two tables (`where(element =
  // list.Classroom, filter = teachers.Classroom)`) says how they join. Between two tables no
  // key, declared or implied by names, links directly it comes first: the SQL joined IPL's
  // `match` to `player` on `man_of_the_match`, not through `player_match` (SQL → SR states
  // such joins, see `guessedOtherwise` in from-sql.ts). Between tables a key does link
  // (`match_id` of both) it is a filter on top, and joins only when nothing else reaches.
  const said = new Map<string, Edge[]>();
  const ahead = new Map<string, Edge[]>();
  // (Where keys are declared, keys implied by names join only what they leave unreachable.)
  const tiers = schema.foreignKeys.length > 0 ? [graph] : [graph, implicit, shared];
  const direct = (a: string, b: string) => tiers.some((m) => m.get(a)?.some((e) => e.to === b));
  for (const fk of hints.said ?? []) {
    const [from, to] = [canonical(fk.fromTable), canonical(fk.toTable)];
    if (from === to) continue;
    const edges: [string, Edge][] = [
      [from, { to, on: [fk.fromColumn, fk.toColumn] }],
      [to, { to: from, on: [fk.toColumn, fk.fromColumn] }],
    ];
    for (const [node, edge] of edges) {
      const tier = schema.foreignKeys.length === 0 && direct(node, edge.to) ? said : ahead;
      tier.set(node, [...(tier.get(node) ?? []), edge]);
    }
  }
  for (const [node, edges] of ahead) graph.set(node, [...edges, ...(graph.get(node) ?? [])]);
  const first = wanted[0]!;
  const inTree = new Set([first]);
  const joins: Join[] = [];
  const remaining = new Set(wanted.slice(1));
  while (remaining.size > 0) {
    const { found, previous } = nearest(graph, inTree, remaining);
    // Nothing reaches the rest: the next tier of links joins the graph, in order of trust.
    const next = found ? undefined : [implicit, shared, sharedAttribute, said].find((t) => t.size);
    if (next) {
      for (const [node, edges] of next) graph.set(node, [...(graph.get(node) ?? []), ...edges]);
      next.clear();
      continue;
    }
    if (!found) {
      const missing = [...remaining].join(', ');
      const [a] = remaining;
      const [b] = inTree;
      throw new SrCompileError(
        `no foreign-key path joins ${missing} to ${[...inTree].join(', ')}; a step can say how, e.g. where(element = ${a}.<column>, filter = ${b}.<column>)`,
      );
    }
    const path: { from: string; edge: Edge }[] = [];
    for (let at = found; !inTree.has(at); ) {
      const step = previous.get(at)!;
      path.unshift(step);
      at = step.from;
    }
    for (const step of path) {
      const equal = (a: string, b: string): SqlExpr => ({
        k: 'binary',
        op: '=',
        left: { k: 'column', table: step.from, name: a },
        right: { k: 'column', table: step.edge.to, name: b },
      });
      // The SQL joined the two tables on several same-named columns (`a.student_id =
      // r.student_id AND a.course_id = r.course_id`, a key of two columns): on all of them again.
      const [ca, cb] = step.edge.on;
      const parts = same(ca, cb)
        ? preferred.filter(
            (fk) =>
              same(fk.fromColumn, fk.toColumn) &&
              !same(fk.fromColumn, ca) &&
              ((same(fk.fromTable, step.from) && same(fk.toTable, step.edge.to)) ||
                (same(fk.toTable, step.from) && same(fk.fromTable, step.edge.to))),
          )
        : [];
      // A declared key of several columns (`web_page_visits (app_id, page_no)` referring to
      // `web_pages`' primary key of both): on all of them, or rows of other pages would join.
      if (parts.length === 0) parts.push(...compositeRest(schema, step.from, step.edge));
      const on = parts.reduce<SqlExpr>(
        (acc, fk) => ({
          k: 'binary',
          op: 'AND',
          left: acc,
          right: equal(fk.fromColumn, fk.toColumn),
        }),
        equal(ca, cb),
      );
      joins.push({
        kind: step.edge.outer ? 'LEFT' : 'INNER',
        ref: { k: 'table', name: step.edge.to },
        on,
      });
      inTree.add(step.edge.to);
      remaining.delete(step.edge.to);
    }
  }
  return { from: { k: 'table', name: first }, joins };
}

/**
 * The other column pairs of a declared key of several columns that `edge` (from `from`) joins
 * on one column of: declared keys between the same two tables, in the same direction, whose
 * referred columns make up, with the edge's, the referred table's primary key. None when the
 * edge is no such key.
 */
function compositeRest(schema: Schema, from: string, edge: Edge): ForeignKey[] {
  const [ca, cb] = edge.on;
  const oriented = (fk: ForeignKey, a: string, b: string) =>
    same(fk.fromTable, a) && same(fk.toTable, b);
  const down = schema.foreignKeys.some(
    (fk) => oriented(fk, from, edge.to) && same(fk.fromColumn, ca) && same(fk.toColumn, cb),
  );
  const up = schema.foreignKeys.some(
    (fk) => oriented(fk, edge.to, from) && same(fk.fromColumn, cb) && same(fk.toColumn, ca),
  );
  if (!down && !up) return [];
  const [referring, referred, referredColumn] = down ? [from, edge.to, cb] : [edge.to, from, ca];
  const key = schema.tables.find((t) => same(t.name, referred))?.primaryKey ?? [];
  if (key.length < 2 || !key.some((k) => same(k, referredColumn))) return [];
  const rest = schema.foreignKeys.filter(
    (fk) =>
      oriented(fk, referring, referred) &&
      !same(fk.toColumn, referredColumn) &&
      key.some((k) => same(k, fk.toColumn)),
  );
  if (rest.length !== key.length - 1) return [];
  // Oriented as the step joins: `from`'s column first.
  return rest.map((fk) =>
    down
      ? fk
      : {
          fromTable: fk.toTable,
          fromColumn: fk.toColumn,
          toTable: fk.fromTable,
          toColumn: fk.fromColumn,
        },
  );
}

/**
 * `tables` with one that an outer join of `keys` kept every row of (and that no outer join
 * among them made optional) first, so that the tree grows from it and the join stays LEFT.
 */
export function outerFirst(tables: readonly string[], keys: readonly JoinKey[]): string[] {
  const has = (t: string) => tables.some((x) => x.toLowerCase() === t.toLowerCase());
  const outer = keys.filter((k) => k.outer && has(k.fromTable) && has(k.toTable));
  const optional = new Set(outer.map((k) => k.toTable.toLowerCase()));
  const root = tables.find(
    (t) =>
      !optional.has(t.toLowerCase()) &&
      outer.some((k) => k.fromTable.toLowerCase() === t.toLowerCase()),
  );
  return root === undefined ? [...tables] : [root, ...tables.filter((t) => t !== root)];
}

/**
 * The wanted table nearest to the tree and the path to it: fewest joins first, then fewest
 * keys the user's SQL did not join on, then fewest meetings at a shared parent (two tables
 * that both reference a third: `customer → store ← inventory` links a customer to the films
 * of their store, where `customer ← rental → inventory`, through a table that references
 * both, links them to the films they rented). A search from the whole tree at once, in
 * which ties go to the table (and the path) reached first, as a breadth-first search would.
 */
function nearest(
  graph: ReadonlyMap<string, readonly Edge[]>,
  tree: ReadonlySet<string>,
  wanted: ReadonlySet<string>,
): { found?: string; previous: Map<string, { from: string; edge: Edge }> } {
  type Cost = { joins: number; other: number; shared: number; up: boolean; order: number };
  const better = (a: Cost, b: Cost) =>
    a.joins !== b.joins
      ? a.joins < b.joins
      : a.other !== b.other
        ? a.other < b.other
        : a.shared < b.shared;
  const previous = new Map<string, { from: string; edge: Edge }>();
  const cost = new Map<string, Cost>();
  let order = 0;
  for (const t of tree) cost.set(t, { joins: 0, other: 0, shared: 0, up: false, order: order++ });
  const done = new Set<string>();
  for (;;) {
    let node: string | undefined;
    for (const [t, c] of cost) {
      if (done.has(t)) continue;
      const best = node === undefined ? undefined : cost.get(node)!;
      if (!best || better(c, best) || (!better(best, c) && c.order < best.order)) node = t;
    }
    if (node === undefined) return { previous };
    if (wanted.has(node)) return { found: node, previous };
    done.add(node);
    const here = cost.get(node)!;
    for (const edge of graph.get(node) ?? []) {
      if (done.has(edge.to) || tree.has(edge.to)) continue;
      const next = {
        joins: here.joins + 1,
        other: here.other + (edge.preferred ? 0 : 1),
        shared: here.shared + (here.up && !edge.up ? 1 : 0),
        up: edge.up === true,
        order: cost.get(edge.to)?.order ?? order++,
      };
      const known = cost.get(edge.to);
      if (known && !better(next, known)) continue;
      cost.set(edge.to, next);
      previous.set(edge.to, { from: node, edge });
    }
  }
}

/** The first word of a column name (`winner` of `winner_id` or `WinnerId`), lower case. */
function rolePrefix(column: string): string | undefined {
  const word = /^[A-Za-z][a-z0-9]*(?=[_ A-Z])/.exec(column)?.[0]?.toLowerCase();
  return word && word !== 'id' ? word : undefined;
}

/**
 * What an identifier column names (`customer` of `customer_id`, `salesperson` of
 * `SalesPersonID`, `bioguide` of `id_bioguide`), or undefined when its name does not say it
 * identifies something (a bare `id` says nothing about what).
 */
function identifierStem(column: string): string | undefined {
  // A numbered variant identifies as well (`country_code_2`, ISO's two-letter code).
  const lower = column.toLowerCase().replace(/(?<=(?:id|key|code))_?\d$/, '');
  const stem =
    /^id_(.+)$/.exec(lower)?.[1] ?? /^(.+?)_?(?:id|key|code)$/.exec(lower)?.[1]?.replace(/_$/, '');
  return stem && stem.length > 1 ? stem : undefined;
}

function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name.endsWith('s') && !name.endsWith('ss')) return name.slice(0, -1);
  return name;
}

/** Names (or types) equal but for case. */
function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPIDER2SQLITE } from '../../../test/paths';
import { schemaForDb } from '../schema/from-tables-json';
import type { Schema } from '../schema/schema';
import { printExpr } from '../sql/print';
import { joinTree, outerFirst } from './joins';

const table = (name: string, columns: string[], primaryKey: string[] = []) => ({
  name,
  columns: columns.map((c) => ({ name: c, type: 'text' })),
  primaryKey,
});

const ons = (schema: Schema, tables: string[], hints?: Parameters<typeof joinTree>[2]) =>
  joinTree(schema, tables, hints).joins.map((j) => (j.on ? printExpr(j.on) : ''));

describe('joinTree', () => {
  it('of two keys between the same tables, prefers the one whose columns share a name', () => {
    const schema: Schema = {
      dbId: 'toxicology',
      tables: [
        table('atom', ['atom_id', 'element'], ['atom_id']),
        table('connected', ['atom_id', 'atom_id2', 'bond_id']),
      ],
      // Declared in the order that used to win: the second atom first.
      foreignKeys: [
        { fromTable: 'connected', fromColumn: 'atom_id2', toTable: 'atom', toColumn: 'atom_id' },
        { fromTable: 'connected', fromColumn: 'atom_id', toTable: 'atom', toColumn: 'atom_id' },
      ],
    };
    expect(ons(schema, ['atom', 'connected'])).toEqual(['atom.atom_id = connected.atom_id']);
  });

  it('joins on every same-named column the user joined the two tables on, a key of two columns', () => {
    const fk = (column: string) => ({
      fromTable: 'Attendance',
      fromColumn: column,
      toTable: 'Registrations',
      toColumn: column,
    });
    const schema: Schema = {
      dbId: 'student_assessment',
      tables: [
        table('Registrations', ['student_id', 'course_id', 'registration_date'], ['student_id']),
        table('Attendance', ['student_id', 'course_id', 'date_of_attendance'], ['student_id']),
      ],
      foreignKeys: [fk('student_id'), fk('course_id')],
    };
    const on = (preferred: Schema['foreignKeys']) =>
      joinTree(schema, ['Attendance', 'Registrations'], { preferred }).joins.map((j) =>
        printExpr(j.on!),
      );
    expect(on([fk('student_id'), fk('course_id')])).toEqual([
      'Attendance.student_id = Registrations.student_id AND Attendance.course_id = Registrations.course_id',
    ]);
    // Without the user's keys, or with one of them, one key (two keys may be two roles).
    expect(on([])).toEqual(['Attendance.student_id = Registrations.student_id']);
    expect(on([fk('course_id')])).toEqual(['Attendance.course_id = Registrations.course_id']);
  });

  it('of equally short paths, prefers one through a table that references both ends', () => {
    // Sakila: a customer meets films through their rentals, not through the store whose
    // inventory holds them. The store comes first in the keys, so it used to win.
    const fk = (fromTable: string, fromColumn: string, toTable: string, toColumn = fromColumn) => ({
      fromTable,
      fromColumn,
      toTable,
      toColumn,
    });
    const schema: Schema = {
      dbId: 'sakila',
      tables: [
        table('store', ['store_id'], ['store_id']),
        table('customer', ['customer_id', 'store_id', 'first_name'], ['customer_id']),
        table('inventory', ['inventory_id', 'film_id', 'store_id'], ['inventory_id']),
        table('rental', ['rental_id', 'inventory_id', 'customer_id'], ['rental_id']),
      ],
      foreignKeys: [
        fk('customer', 'store_id', 'store'),
        fk('inventory', 'store_id', 'store'),
        fk('rental', 'inventory_id', 'inventory'),
        fk('rental', 'customer_id', 'customer'),
      ],
    };
    expect(ons(schema, ['customer', 'inventory'])).toEqual([
      'customer.customer_id = rental.customer_id',
      'rental.inventory_id = inventory.inventory_id',
    ]);
    // Where the shared parent is the only way, it is taken.
    const noRental = {
      ...schema,
      tables: schema.tables.slice(0, 3),
      foreignKeys: schema.foreignKeys.slice(0, 2),
    };
    expect(ons(noRental, ['customer', 'inventory'])).toEqual([
      'customer.store_id = store.store_id',
      'store.store_id = inventory.store_id',
    ]);
  });

  it('of several keys whose names say nothing, takes the column that comes first in its table', () => {
    const key = (fromColumn: string) => ({
      fromTable: 'superhero',
      fromColumn,
      toTable: 'colour',
      toColumn: 'id',
    });
    const schema: Schema = {
      dbId: 'superhero',
      tables: [
        table('superhero', ['id', 'eye_colour_id', 'hair_colour_id', 'skin_colour_id'], ['id']),
        table('colour', ['id', 'colour'], ['id']),
      ],
      // Declared the way BIRD's tables.json declares them: skin first.
      foreignKeys: [key('skin_colour_id'), key('hair_colour_id'), key('eye_colour_id')],
    };
    expect(ons(schema, ['superhero', 'colour'])).toEqual(['superhero.eye_colour_id = colour.id']);
    // A key whose columns share a name still comes before it, whatever the column order.
    const players: Schema = {
      dbId: 'european_football_2',
      tables: [
        table('Player', ['id', 'player_api_id', 'player_fifa_api_id'], ['id']),
        table('Player_Attributes', ['id', 'player_fifa_api_id', 'player_api_id'], ['id']),
      ],
      foreignKeys: [
        {
          fromTable: 'Player_Attributes',
          fromColumn: 'player_api_id',
          toTable: 'Player',
          toColumn: 'player_api_id',
        },
        {
          fromTable: 'Player_Attributes',
          fromColumn: 'player_fifa_api_id',
          toTable: 'Player',
          toColumn: 'player_fifa_api_id',
        },
      ],
    };
    expect(ons(players, ['Player', 'Player_Attributes'])).toEqual([
      'Player.player_api_id = Player_Attributes.player_api_id',
    ]);
  });

  it('of two keys between the same tables, takes one whose column the trajectory names', () => {
    // flight_4: a route leaves from one airport and arrives at another.
    const key = (fromColumn: string) => ({
      fromTable: 'routes',
      fromColumn,
      toTable: 'airports',
      toColumn: 'apid',
    });
    const schema: Schema = {
      dbId: 'flight_4',
      tables: [
        table('routes', ['rid', 'dst_apid', 'src_apid'], ['rid']),
        table('airports', ['apid', 'name'], ['apid']),
      ],
      foreignKeys: [key('dst_apid'), key('src_apid')],
    };
    const on = (named?: string[]) =>
      joinTree(schema, ['routes', 'airports'], { named: new Set(named) }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      );
    expect(on()).toEqual(['routes.dst_apid = airports.apid']);
    expect(on(['routes.src_apid'])).toEqual(['routes.src_apid = airports.apid']);
  });

  it('of two keys that play different roles, takes the one whose role the trajectory reads', () => {
    // wta_1: a match has a loser and a winner (in that column order), both players.
    const key = (fromColumn: string) => ({
      fromTable: 'matches',
      fromColumn,
      toTable: 'players',
      toColumn: 'player_id',
    });
    const schema: Schema = {
      dbId: 'wta_1',
      tables: [
        table('matches', ['loser_id', 'loser_rank_points', 'winner_id', 'winner_rank_points']),
        table('players', ['player_id', 'first_name'], ['player_id']),
      ],
      foreignKeys: [key('loser_id'), key('winner_id')],
    };
    const on = (named: string[]) =>
      joinTree(schema, ['matches', 'players'], { named: new Set(named) }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      );
    expect(on([])).toEqual(['matches.loser_id = players.player_id']);
    expect(on(['matches.winner_rank_points'])).toEqual(['matches.winner_id = players.player_id']);
    expect(on(['matches.loser_rank_points'])).toEqual(['matches.loser_id = players.player_id']);
    // Both roles read: nothing to go by but the column order.
    expect(on(['matches.winner_rank_points', 'matches.loser_rank_points'])).toEqual([
      'matches.loser_id = players.player_id',
    ]);
  });

  it('joins on the keys the user wrote first, declared or not, before the schema picks a path', () => {
    const schema: Schema = {
      dbId: 'financial',
      tables: [
        table('client', ['client_id', 'district_id'], ['client_id']),
        table('district', ['district_id', 'A2'], ['district_id']),
        table('account', ['account_id', 'district_id'], ['account_id']),
        table('disp', ['disp_id', 'client_id', 'account_id'], ['disp_id']),
      ],
      foreignKeys: [
        {
          fromTable: 'client',
          fromColumn: 'district_id',
          toTable: 'district',
          toColumn: 'district_id',
        },
        {
          fromTable: 'account',
          fromColumn: 'district_id',
          toTable: 'district',
          toColumn: 'district_id',
        },
        { fromTable: 'disp', fromColumn: 'client_id', toTable: 'client', toColumn: 'client_id' },
        { fromTable: 'disp', fromColumn: 'account_id', toTable: 'account', toColumn: 'account_id' },
      ],
    };
    const path = (preferred: Schema['foreignKeys']) =>
      joinTree(schema, ['client', 'account'], { preferred }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      );
    // Two paths of two joins: through disp, which references both, or through the district
    // both reference (declared first). Alone, the schema takes disp; the user's keys decide.
    expect(path([])).toEqual([
      'client.client_id = disp.client_id',
      'disp.account_id = account.account_id',
    ]);
    // The user's keys through the district: the first two declared.
    expect(path(schema.foreignKeys.slice(0, 2))).toEqual([
      'client.district_id = district.district_id',
      'district.district_id = account.district_id',
    ]);
    // A key the schema does not declare (student_1 declares none) is used as written.
    const school: Schema = {
      dbId: 'student_1',
      tables: [
        table('list', ['LastName', 'FirstName', 'Grade', 'Classroom']),
        table('teachers', ['LastName', 'FirstName', 'Classroom']),
      ],
      foreignKeys: [],
    };
    expect(() => joinTree(school, ['list', 'teachers'])).toThrow(/no foreign-key path/);
    const classroom = {
      fromTable: 'list',
      fromColumn: 'Classroom',
      toTable: 'teachers',
      toColumn: 'Classroom',
    };
    expect(
      joinTree(school, ['list', 'teachers'], { preferred: [classroom] }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      ),
    ).toEqual(['list.Classroom = teachers.Classroom']);
    // Or as the trajectory states it (`where(element = list.Classroom, filter = …)`).
    expect(
      joinTree(school, ['list', 'teachers'], { said: [classroom] }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      ),
    ).toEqual(['list.Classroom = teachers.Classroom']);
  });

  it('joins on an equality the trajectory states only where no key, declared or implied, reaches', () => {
    const schema: Schema = {
      dbId: 'bike_1',
      tables: [
        table('station', ['id', 'name', 'city'], ['id']),
        table('status', ['station_id', 'bikes_available'], []),
        table(
          'trip',
          ['id', 'start_date', 'start_station_id', 'end_station_id', 'zip_code'],
          ['id'],
        ),
        table('weather', ['date', 'zip_code'], []),
      ],
      foreignKeys: [
        { fromTable: 'status', fromColumn: 'station_id', toTable: 'station', toColumn: 'id' },
      ],
    };
    const on = (tables: string[], said: Schema['foreignKeys']) =>
      joinTree(schema, tables, { said }).joins.map((j) => (j.on ? printExpr(j.on) : ''));
    const end = {
      fromTable: 'trip',
      fromColumn: 'end_station_id',
      toTable: 'station',
      toColumn: 'id',
    };
    expect(() => on(['station', 'trip'], [])).toThrow(/no foreign-key path joins trip to station/);
    expect(on(['station', 'trip'], [end])).toEqual(['station.id = trip.end_station_id']);
    // Through a table the key reaches: station, then trip by the stated equality.
    expect(on(['status', 'trip'], [end])).toEqual([
      'status.station_id = station.id',
      'station.id = trip.end_station_id',
    ]);
    // Where keys are declared, a stated equality between status and station joins them instead
    // of their key: SQL → SR states one there only where the SQL joined on it (a wrong key), and
    // states the key as well where the SQL joined on both, the key first.
    const other = {
      fromTable: 'status',
      fromColumn: 'bikes_available',
      toTable: 'station',
      toColumn: 'id',
    };
    const key = schema.foreignKeys[0]!;
    expect(on(['status', 'station'], [other])).toEqual(['status.bikes_available = station.id']);
    expect(on(['status', 'station'], [key, other])).toEqual(['status.station_id = station.id']);
    // Before a key only implied by a shared identifier name (`zip_code`): the trajectory said.
    expect(on(['trip', 'weather'], [])).toEqual(['trip.zip_code = weather.zip_code']);
    const day = {
      fromTable: 'trip',
      fromColumn: 'start_date',
      toTable: 'weather',
      toColumn: 'date',
    };
    expect(on(['trip', 'weather'], [day])).toEqual(['trip.start_date = weather.date']);
  });

  it('joins on a stated equality before a path through a third table, before a direct key only where keys are declared', () => {
    // Spider 2.0's IPL: a match's man of the match is a player; names link both tables
    // only through player_match.
    const schema: Schema = {
      dbId: 'IPL',
      tables: [
        table('match', ['match_id', 'venue', 'man_of_the_match'], ['match_id']),
        table('player', ['player_id', 'player_name'], ['player_id']),
        table('player_match', ['match_id', 'player_id', 'role'], []),
      ],
      foreignKeys: [],
    };
    const on = (tables: string[], said: Schema['foreignKeys']) =>
      joinTree(schema, tables, { said }).joins.map((j) => (j.on ? printExpr(j.on) : ''));
    const star = {
      fromTable: 'match',
      fromColumn: 'man_of_the_match',
      toTable: 'player',
      toColumn: 'player_id',
    };
    expect(on(['match', 'player'], [])).toEqual([
      '`match`.match_id = player_match.match_id',
      'player_match.player_id = player.player_id',
    ]);
    expect(on(['match', 'player'], [star])).toEqual([
      '`match`.man_of_the_match = player.player_id',
    ]);
    // Between tables their names link directly, the names' link goes first: the stated
    // equality is a filter beside it.
    const role = {
      fromTable: 'player_match',
      fromColumn: 'role',
      toTable: 'player',
      toColumn: 'player_name',
    };
    expect(on(['player_match', 'player'], [role])).toEqual([
      'player_match.player_id = player.player_id',
    ]);
    // The same where keys are declared (BowlingLeague's Match_Games.WinningTeamID = Teams.TeamID
    // is undeclared); there a key implied by names links nothing directly, and a stated equality
    // joins before the declared key (BowlingLeague's `Teams.CaptainID = Bowlers.BowlerID`).
    const declared: Schema = {
      ...schema,
      foreignKeys: [
        {
          fromTable: 'player_match',
          fromColumn: 'player_id',
          toTable: 'player',
          toColumn: 'player_id',
        },
      ],
    };
    const onDeclared = (tables: string[], said: Schema['foreignKeys']) =>
      ons(declared, tables, { said });
    expect(onDeclared(['match', 'player'], [])).toEqual([
      '`match`.match_id = player_match.match_id',
      'player_match.player_id = player.player_id',
    ]);
    expect(onDeclared(['match', 'player'], [star])).toEqual([
      '`match`.man_of_the_match = player.player_id',
    ]);
    expect(onDeclared(['player_match', 'player'], [role])).toEqual([
      'player_match.role = player.player_name',
    ]);
  });

  it('joins on every column of a declared key of several columns', () => {
    // Spider 2.0's oracle_sql: a visit refers to a page by (app_id, page_no), the page's key.
    const schema: Schema = {
      dbId: 'oracle_sql',
      tables: [
        table('web_pages', ['app_id', 'page_no', 'friendly_url'], ['app_id', 'page_no']),
        table('web_page_visits', ['client_ip', 'app_id', 'page_no'], []),
        table('web_apps', ['id', 'name'], ['id']),
      ],
      foreignKeys: [
        {
          fromTable: 'web_page_visits',
          fromColumn: 'app_id',
          toTable: 'web_pages',
          toColumn: 'app_id',
        },
        {
          fromTable: 'web_page_visits',
          fromColumn: 'page_no',
          toTable: 'web_pages',
          toColumn: 'page_no',
        },
        { fromTable: 'web_pages', fromColumn: 'app_id', toTable: 'web_apps', toColumn: 'id' },
      ],
    };
    expect(ons(schema, ['web_pages', 'web_page_visits'])).toEqual([
      'web_pages.app_id = web_page_visits.app_id AND web_pages.page_no = web_page_visits.page_no',
    ]);
    expect(ons(schema, ['web_page_visits', 'web_pages'])).toEqual([
      'web_page_visits.app_id = web_pages.app_id AND web_page_visits.page_no = web_pages.page_no',
    ]);
    // A key of one column to a table whose key it is alone: that column only.
    expect(ons(schema, ['web_pages', 'web_apps'])).toEqual(['web_pages.app_id = web_apps.id']);
  });

  it("among equally short trees, takes the one with more of the user's keys", () => {
    // codebase_community: comments join posts and users; posts also reference users (the owner).
    const schema: Schema = {
      dbId: 'codebase_community',
      tables: [
        table('posts', ['Id', 'OwnerUserId', 'Title'], ['Id']),
        table('comments', ['Id', 'PostId', 'UserId', 'Text'], ['Id']),
        table('users', ['Id', 'DisplayName'], ['Id']),
      ],
      foreignKeys: [
        { fromTable: 'posts', fromColumn: 'OwnerUserId', toTable: 'users', toColumn: 'Id' },
        { fromTable: 'comments', fromColumn: 'PostId', toTable: 'posts', toColumn: 'Id' },
        { fromTable: 'comments', fromColumn: 'UserId', toTable: 'users', toColumn: 'Id' },
      ],
    };
    const tree = (preferred: Schema['foreignKeys']) =>
      joinTree(schema, ['posts', 'comments', 'users'], { preferred }).joins.map((j) =>
        j.on ? printExpr(j.on) : '',
      );
    // Both trees join twice; from posts, users is one key away, so the owner wins by default.
    expect(tree([])).toEqual(['posts.OwnerUserId = users.Id', 'posts.Id = comments.PostId']);
    // The comment's author, when that is what the user's SQL joined.
    expect(
      tree([
        { fromTable: 'comments', fromColumn: 'PostId', toTable: 'posts', toColumn: 'Id' },
        { fromTable: 'comments', fromColumn: 'UserId', toTable: 'users', toColumn: 'Id' },
      ]),
    ).toEqual(['posts.Id = comments.PostId', 'comments.UserId = users.Id']);
  });

  it('joins again by a LEFT JOIN where the user did, growing the tree from the kept side', () => {
    const schema: Schema = {
      dbId: 'concert_singer',
      tables: [
        table('stadium', ['Stadium_ID', 'Name'], ['Stadium_ID']),
        table('concert', ['concert_ID', 'Stadium_ID'], ['concert_ID']),
        table('singer_in_concert', ['concert_ID', 'Singer_ID']),
      ],
      foreignKeys: [
        {
          fromTable: 'concert',
          fromColumn: 'Stadium_ID',
          toTable: 'stadium',
          toColumn: 'Stadium_ID',
        },
        {
          fromTable: 'singer_in_concert',
          fromColumn: 'concert_ID',
          toTable: 'concert',
          toColumn: 'concert_ID',
        },
      ],
    };
    const left = {
      fromTable: 'stadium',
      fromColumn: 'Stadium_ID',
      toTable: 'concert',
      toColumn: 'Stadium_ID',
      outer: true,
    };
    const joins = (tables: string[], preferred: (typeof left)[]) => {
      const tree = joinTree(schema, outerFirst(tables, preferred), { preferred });
      return [tree.from.k === 'table' ? tree.from.name : '', ...tree.joins.map((j) => j.kind)];
    };
    // The trajectory names the concert first; the stadiums the user kept come first anyway.
    expect(outerFirst(['concert', 'stadium'], [left])).toEqual(['stadium', 'concert']);
    expect(joins(['concert', 'stadium'], [left])).toEqual(['stadium', 'LEFT']);
    expect(joins(['concert', 'stadium'], [])).toEqual(['concert', 'INNER']);
    // Only the key the user joined outer is a LEFT JOIN.
    expect(joins(['stadium', 'singer_in_concert'], [left])).toEqual(['stadium', 'LEFT', 'INNER']);
    // A table that an outer join made optional is not the root, whatever the order.
    const both = [left, { ...left, fromTable: 'concert', toTable: 'stadium' }];
    expect(outerFirst(['concert', 'stadium'], both)).toEqual(['concert', 'stadium']);
  });

  it('without declared keys, joins a column named after a table and one of its columns', () => {
    const schema: Schema = {
      dbId: 'card_games',
      tables: [
        table('cards', ['id', 'name', 'setCode'], ['id']),
        table('sets', ['id', 'code', 'name'], ['id']),
      ],
      foreignKeys: [],
    };
    expect(ons(schema, ['cards', 'sets'])).toEqual(['cards.setCode = sets.code']);
    // `name` alone says nothing: no such join is made up.
    const unrelated: Schema = {
      dbId: 'x',
      tables: [table('cards', ['id', 'name'], ['id']), table('sets', ['id', 'name'], ['id'])],
      foreignKeys: [],
    };
    expect(() => joinTree(unrelated, ['cards', 'sets'])).toThrow(/no foreign-key path/);
    // Spider 2.0's imdb_movies declares not even primary keys: a table's own `id` is its key,
    // which `<singular>_id` refers to; a bare name without `_id` does not.
    const imdb: Schema = {
      dbId: 'imdb_movies',
      tables: [table('names', ['id', 'name']), table('role_mapping', ['movie_id', 'name_id'])],
      foreignKeys: [],
    };
    expect(ons(imdb, ['names', 'role_mapping'])).toEqual(['names.id = role_mapping.name_id']);
    const bare: Schema = {
      ...imdb,
      tables: [table('names', ['id', 'name']), table('role_mapping', ['movie_id', 'name'])],
    };
    expect(() => joinTree(bare, ['names', 'role_mapping'])).toThrow(/no foreign-key path/);
  });

  it('in a schema that declares no keys, joins on a shared column whose name says what it identifies', () => {
    // Spider 2.0's Brazilian e-commerce database declares no key at all: a payment's customer
    // is found through its order (order_id), the order's customer through customer_id.
    const tables = JSON.parse(readFileSync(join(SPIDER2SQLITE, 'tables.json'), 'utf8'));
    const olist = schemaForDb(tables, 'Brazilian_E_Commerce_spider2');
    expect(olist.foreignKeys).toEqual([]);
    expect(ons(olist, ['olist_order_payments', 'olist_customers'])).toEqual([
      'olist_order_payments.order_id = olist_orders.order_id',
      'olist_orders.customer_id = olist_customers.customer_id',
    ]);
    // A numbered code identifies as well (city_legislation's ISO `country_code_2`).
    const cities: Schema = {
      dbId: 'city_legislation',
      tables: [
        table('cities', ['city_name', 'country_code_2', 'population']),
        table('cities_countries', ['country_name', 'country_code_2']),
      ],
      foreignKeys: [],
    };
    expect(ons(cities, ['cities', 'cities_countries'])).toEqual([
      'cities.country_code_2 = cities_countries.country_code_2',
    ]);
    // A bare `id` says nothing about what it identifies: no join is made up on it.
    const bare: Schema = {
      dbId: 'x',
      tables: [table('cards', ['id', 'name']), table('sets', ['id', 'title'])],
      foreignKeys: [],
    };
    expect(() => joinTree(bare, ['cards', 'sets'])).toThrow(/no foreign-key path/);
    // Declared keys come first, even along a longer path.
    const declared: Schema = {
      dbId: 'y',
      tables: [
        table('shipments', ['shipment_id', 'customer_id', 'order_ref']),
        table('orders', ['order_ref', 'customer_id']),
        table('customers', ['customer_id', 'name']),
      ],
      foreignKeys: [
        {
          fromTable: 'shipments',
          fromColumn: 'order_ref',
          toTable: 'orders',
          toColumn: 'order_ref',
        },
        {
          fromTable: 'orders',
          fromColumn: 'customer_id',
          toTable: 'customers',
          toColumn: 'customer_id',
        },
      ],
    };
    expect(ons(declared, ['shipments', 'customers'])).toEqual([
      'shipments.order_ref = orders.order_ref',
      'orders.customer_id = customers.customer_id',
    ]);
  });

  it('in a schema that declares no keys, joins on a shared attribute only when nothing else reaches', () => {
    // Northwind as Spider 2.0 has it: employees and customers both have a postalcode, but no
    // table is named after it; the employee's customers are found through their orders.
    const northwind: Schema = {
      dbId: 'northwind',
      tables: [
        table('customers', ['customerid', 'companyname', 'postalcode']),
        table('employees', ['employeeid', 'lastname', 'postalcode']),
        table('orders', ['orderid', 'customerid', 'employeeid']),
      ],
      foreignKeys: [],
    };
    expect(ons(northwind, ['customers', 'employees'])).toEqual([
      'customers.customerid = orders.customerid',
      'orders.employeeid = employees.employeeid',
    ]);
    // Alone, with nothing else between them, it still joins.
    const pair: Schema = { ...northwind, tables: northwind.tables.slice(0, 2) };
    expect(ons(pair, ['customers', 'employees'])).toEqual([
      'customers.postalcode = employees.postalcode',
    ]);
    // California's collisions: `case_id` names the table `case_ids`, so it identifies; an
    // equality the trajectory states on another column (`party_number`) is a filter beside it.
    const california: Schema = {
      dbId: 'California_Traffic_Collision',
      tables: [
        table('case_ids', ['case_id', 'db_year']),
        table('parties', ['id', 'case_id', 'party_number', 'party_sobriety']),
        table('victims', ['id', 'case_id', 'party_number', 'victim_role']),
      ],
      foreignKeys: [],
    };
    const party = {
      fromTable: 'victims',
      fromColumn: 'party_number',
      toTable: 'parties',
      toColumn: 'party_number',
    };
    expect(ons(california, ['victims', 'parties'], { said: [party] })).toEqual([
      'victims.case_id = parties.case_id',
    ]);
  });

  it("joins a column with the name and type of another table's primary key, before a longer declared path", () => {
    // Spider's loan_1 declares only the branch keys: a loan's customer is its cust_ID, not
    // every customer of the loan's branch.
    const schema: Schema = {
      dbId: 'loan_1',
      tables: [
        table('bank', ['branch_ID', 'bname'], ['branch_ID']),
        table('customer', ['cust_ID', 'cust_name', 'branch_ID'], ['cust_ID']),
        table('loan', ['loan_ID', 'cust_ID', 'branch_ID', 'amount'], ['loan_ID']),
      ],
      foreignKeys: [
        { fromTable: 'customer', fromColumn: 'branch_ID', toTable: 'bank', toColumn: 'branch_ID' },
        { fromTable: 'loan', fromColumn: 'branch_ID', toTable: 'bank', toColumn: 'branch_ID' },
      ],
    };
    expect(ons(schema, ['loan', 'customer'])).toEqual(['loan.cust_ID = customer.cust_ID']);
    // Spider's flight_2 declares flights.Airline (a number) its primary key; the airline's
    // name (text) is not a reference to it.
    const typed = (name: string, columns: [string, string][], primaryKey: string[]) => ({
      name,
      columns: columns.map(([c, type]) => ({ name: c, type })),
      primaryKey,
    });
    const flights: Schema = {
      dbId: 'flight_2',
      tables: [
        typed(
          'airlines',
          [
            ['uid', 'number'],
            ['Airline', 'text'],
          ],
          ['uid'],
        ),
        typed(
          'flights',
          [
            ['Airline', 'number'],
            ['FlightNo', 'number'],
          ],
          ['Airline'],
        ),
      ],
      foreignKeys: [],
    };
    expect(ons(flights, ['airlines', 'flights'])).toEqual(['airlines.uid = flights.Airline']);
  });

  it('does not read a bare id as a reference to another table whose key is a bare id', () => {
    // Spider's swimming: a record's ID is its own number (the schema declares Swimmer_ID its
    // key), not a stadium's; a stadium's records are those of its events.
    const schema: Schema = {
      dbId: 'swimming',
      tables: [
        table('stadium', ['ID', 'name'], ['ID']),
        table('event', ['ID', 'Name', 'Stadium_ID'], ['ID']),
        table('record', ['ID', 'Result', 'Swimmer_ID', 'Event_ID'], ['Swimmer_ID']),
      ],
      foreignKeys: [
        { fromTable: 'event', fromColumn: 'Stadium_ID', toTable: 'stadium', toColumn: 'ID' },
        { fromTable: 'record', fromColumn: 'Event_ID', toTable: 'event', toColumn: 'ID' },
      ],
    };
    expect(ons(schema, ['stadium', 'record'])).toEqual([
      'stadium.ID = event.Stadium_ID',
      'event.ID = record.Event_ID',
    ]);
  });
});

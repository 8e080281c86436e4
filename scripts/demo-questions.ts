/** The database id of the demo database (what the SHARE prompts call it). */
export const DEMO_DB_ID = 'demo_shop';

/** The kinds of mistakes the demo questions show. */
export type DemoMistake =
  | 'wrong-column'
  | 'wrong-table'
  | 'wrong-join'
  | 'missing-join-condition'
  | 'missing-filter'
  | 'wrong-aggregate'
  | 'missing-distinct'
  | 'wrong-order'
  | 'wrong-value'
  | 'wrong-date-format'
  | 'syntax-error';

/** One demo question: the SQL an LLM might write, with one deliberate mistake, and the fix. */
export interface DemoQuestion {
  id: string;
  question: string;
  /** Hints, as BIRD's "evidence" ('' when none). */
  evidence: string;
  wrongSql: string;
  mistake: DemoMistake;
  /** What is wrong with `wrongSql`, for people. */
  explanation: string;
  /** SQLite's error for `wrongSql` when it does not run; absent when it runs (wrongly). */
  wrongSqlError?: string;
  correctSql: string;
  /** Whether the order of the answer's rows matters. */
  ordered: boolean;
}

export const DEMO_QUESTIONS: DemoQuestion[] = [
  {
    id: 'lyon-customers',
    question: 'List the first and last names of the customers who live in Lyon.',
    evidence: '',
    wrongSql: "SELECT name FROM customers WHERE city = 'Lyon'",
    mistake: 'wrong-column',
    explanation: 'customers has no "name" column: names are split into first_name and last_name.',
    wrongSqlError: 'no such column: name',
    correctSql: "SELECT first_name, last_name FROM customers WHERE city = 'Lyon'",
    ordered: false,
  },
  {
    id: 'toys-order-lines',
    question: 'How many order lines are there for products of the Toys category?',
    evidence: '',
    wrongSql:
      "SELECT COUNT(*) FROM order_item AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Toys'",
    mistake: 'wrong-table',
    explanation: 'The table of order lines is order_items, not order_item.',
    wrongSqlError: 'no such table: order_item',
    correctSql:
      "SELECT COUNT(*) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Toys'",
    ordered: false,
  },
  {
    id: 'value-per-category',
    question:
      'What is the total value of all order lines in each category? Give the category name and the total.',
    evidence: 'value = quantity * unit_price',
    wrongSql:
      'SELECT c.name, SUM(oi.quantity * oi.unit_price) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.product_id = c.category_id GROUP BY c.name',
    mistake: 'wrong-join',
    explanation: 'categories must be joined on products.category_id, not on products.product_id.',
    correctSql:
      'SELECT c.name, SUM(oi.quantity * oi.unit_price) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id GROUP BY c.name',
    ordered: false,
  },
  {
    id: 'customers-without-orders',
    question: 'Which customers have never placed an order? Give their first and last names.',
    evidence: '',
    wrongSql:
      'SELECT c.first_name, c.last_name FROM customers AS c JOIN orders AS o ON c.customer_id = o.customer_id WHERE o.order_id IS NULL',
    mistake: 'wrong-join',
    explanation:
      'An inner join drops exactly the customers without orders; a LEFT JOIN keeps them.',
    correctSql:
      'SELECT c.first_name, c.last_name FROM customers AS c LEFT JOIN orders AS o ON c.customer_id = o.customer_id WHERE o.order_id IS NULL',
    ordered: false,
  },
  {
    id: 'discontinued-order-lines',
    question: 'How many order lines are for discontinued products?',
    evidence: 'discontinued = 1 means the product is no longer sold',
    wrongSql: 'SELECT COUNT(*) FROM order_items, products WHERE products.discontinued = 1',
    mistake: 'missing-join-condition',
    explanation:
      'Without order_items.product_id = products.product_id the tables are cross-joined.',
    correctSql:
      'SELECT COUNT(*) FROM order_items JOIN products ON order_items.product_id = products.product_id WHERE products.discontinued = 1',
    ordered: false,
  },
  {
    id: 'cancelled-2024',
    question: 'How many orders were cancelled in 2024?',
    evidence: "order_date is written 'YYYY-MM-DD'",
    wrongSql: "SELECT COUNT(*) FROM orders WHERE status = 'cancelled'",
    mistake: 'missing-filter',
    explanation: 'The year filter is missing: this counts the cancelled orders of every year.',
    correctSql:
      "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND order_date BETWEEN '2024-01-01' AND '2024-12-31'",
    ordered: false,
  },
  {
    id: 'garden-average-price',
    question: 'What is the average price of the products in the Garden category?',
    evidence: '',
    wrongSql:
      "SELECT MAX(p.price) FROM products AS p JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Garden'",
    mistake: 'wrong-aggregate',
    explanation: 'The question asks for the average (AVG), not the maximum.',
    correctSql:
      "SELECT AVG(p.price) FROM products AS p JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Garden'",
    ordered: false,
  },
  {
    id: 'kitchen-units',
    question: 'How many units of Kitchen products were ordered in total?',
    evidence: 'units are counted by quantity',
    wrongSql:
      "SELECT COUNT(oi.quantity) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Kitchen'",
    mistake: 'wrong-aggregate',
    explanation: 'COUNT counts order lines; the units ordered are SUM(quantity).',
    correctSql:
      "SELECT SUM(oi.quantity) FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id JOIN categories AS c ON p.category_id = c.category_id WHERE c.name = 'Kitchen'",
    ordered: false,
  },
  {
    id: 'march-2024-customers',
    question: 'How many different customers placed at least one order in March 2024?',
    evidence: "order_date is written 'YYYY-MM-DD'",
    wrongSql: "SELECT COUNT(customer_id) FROM orders WHERE order_date LIKE '2024-03-%'",
    mistake: 'missing-distinct',
    explanation: 'A customer with several orders is counted several times without DISTINCT.',
    correctSql: "SELECT COUNT(DISTINCT customer_id) FROM orders WHERE order_date LIKE '2024-03-%'",
    ordered: false,
  },
  {
    id: 'top-three-products',
    question: 'Which three products sold the most units? Give their names, best first.',
    evidence: 'units are counted by quantity; ties go to the lower product_id',
    wrongSql:
      'SELECT p.name FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id GROUP BY p.product_id ORDER BY SUM(oi.quantity) ASC, p.product_id LIMIT 3',
    mistake: 'wrong-order',
    explanation:
      'ASC lists the three products that sold the fewest units; the question needs DESC.',
    correctSql:
      'SELECT p.name FROM order_items AS oi JOIN products AS p ON oi.product_id = p.product_id GROUP BY p.product_id ORDER BY SUM(oi.quantity) DESC, p.product_id LIMIT 3',
    ordered: true,
  },
  {
    id: 'shipped-orders',
    question: 'How many orders have been shipped?',
    evidence: '',
    wrongSql: "SELECT COUNT(*) FROM orders WHERE status = 'Shipped'",
    mistake: 'wrong-value',
    explanation: "Statuses are stored in lower case ('shipped'); 'Shipped' matches nothing.",
    correctSql: "SELECT COUNT(*) FROM orders WHERE status = 'shipped'",
    ordered: false,
  },
  {
    id: 'signups-2023',
    question: 'How many customers signed up in 2023?',
    evidence: '',
    wrongSql: "SELECT COUNT(*) FROM customers WHERE signup_date LIKE '2023/%'",
    mistake: 'wrong-date-format',
    explanation: "Dates are stored as 'YYYY-MM-DD'; the pattern '2023/%' matches nothing.",
    correctSql: "SELECT COUNT(*) FROM customers WHERE signup_date LIKE '2023-%'",
    ordered: false,
  },
  {
    id: 'big-countries',
    question: 'Which countries have more than 80 customers?',
    evidence: '',
    wrongSql: 'SELECT country FROM customers HAVING COUNT(*) > 80 GROUP BY country',
    mistake: 'syntax-error',
    explanation: 'GROUP BY must come before HAVING.',
    wrongSqlError: 'near "GROUP": syntax error',
    correctSql: 'SELECT country FROM customers GROUP BY country HAVING COUNT(*) > 80',
    ordered: false,
  },
];

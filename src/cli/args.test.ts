import { describe, expect, it } from 'vitest';
import { commandHelp, type OptionSpec, parseOptions } from './args';
import { CliError } from './cli-error';

const OPTIONS = {
  spider: { type: 'string', arg: 'DIR', required: true, help: 'a folder in Spider layout' },
  'timeout-ms': { type: 'string', arg: 'MS', help: 'time limit of each query (default 30000)' },
  json: { type: 'boolean', help: 'print one JSON object on stdout' },
} as const satisfies OptionSpec;

describe('parseOptions', () => {
  it('returns strings and booleans by the spec', () => {
    const opts = parseOptions(['--spider', 'd', '--json'], OPTIONS, 'roundtrip');
    expect(opts).toEqual({ spider: 'd', json: true });
  });

  it('turns an unknown option into a one-line error that points to --help', () => {
    const error = (() => {
      try {
        parseOptions(['--spidr', 'd'], OPTIONS, 'roundtrip');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(CliError);
    expect((error as CliError).message).toBe(
      "roundtrip: Unknown option '--spidr' (see npm run -s share -- roundtrip --help)",
    );
  });
});

describe('commandHelp', () => {
  const doc = { summary: 'send every gold query through SQL → SR → SQL', options: OPTIONS };

  it('puts the required options in the synopsis and lists every option', () => {
    const text = commandHelp('roundtrip', doc);
    const [synopsis] = text.split('\n');
    expect(synopsis).toBe('usage: npm run -s share -- roundtrip --spider DIR [options]');
    expect(text).toContain('  --spider DIR     a folder in Spider layout (required)\n');
    expect(text).toContain('  --timeout-ms MS  time limit of each query (default 30000)\n');
    expect(text).toContain('  --json           print one JSON object on stdout\n');
    expect(text).toContain('  -h, --help       show this help\n');
  });

  it('names operands after the options', () => {
    const text = commandHelp('check-db', { summary: 's', options: {}, operands: 'FILE…' });
    expect(text.split('\n')[0]).toBe('usage: npm run -s share -- check-db [options] FILE…');
  });

  it('wraps long descriptions under their column and keeps every line within the width', () => {
    const long = {
      'final-sql-key': {
        type: 'string',
        arg: 'idx|question_id',
        help: 'the keys of final_sql.json, which the official evaluator reads as the item index or as the question id (default idx)',
      },
      dataset: { type: 'string', arg: 'DIR', help: 'x' },
    } as const satisfies OptionSpec;
    const text = commandHelp('run', { summary: 'short', options: long }, 60);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(60);
    // A label wider than the column puts its description on the next line, aligned.
    const lines = text.split('\n');
    const at = lines.indexOf('  --final-sql-key idx|question_id');
    expect(at).toBeGreaterThan(0);
    expect(lines[at + 1]).toMatch(/^ {30}the keys of final_sql\.json/);
    expect(lines[at + 2]).toMatch(/^ {30}\S/);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { ROOT } from '../paths';
import { runCli, runTsx } from '../support/cli';

describe('share <command> --help (CLI)', () => {
  it.each(Object.keys(COMMANDS))('%s --help lists every option it parses, exit 0', (name) => {
    const r = runCli([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.startsWith(`usage: npm run -s share -- ${name}`)).toBe(true);
    const listed = [...r.stdout.matchAll(/^ {2}(--[\w-]+)/gm)].map((m) => m[1]);
    const parsed = Object.keys(COMMANDS[name]!.options).map((o) => `--${o}`);
    expect(listed).toEqual(parsed);
    expect(r.stdout).toContain('\n  -h, --help ');
  });

  it('help <command> is the same text, -h too; the options after --help are not run', () => {
    const a = runCli(['help', 'roundtrip']);
    const b = runCli(['roundtrip', '--spider', '/nonexistent', '-h']);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).toContain('--timeout-ms MS');
  });

  it('a usage error points to the command help; --help after -- is a file name', () => {
    const r = runCli(['sr-bench', '--referenc', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(
      "share: sr-bench: Unknown option '--referenc' (see npm run -s share -- sr-bench --help)",
    );
    const file = runCli(['check-db', '--json', '--', '--help']);
    expect(file.code).toBe(1);
    expect(JSON.parse(file.stdout)).toEqual([
      expect.objectContaining({ file: '--help', ok: false, problem: 'unreadable' }),
    ]);
  });
});

describe('npm run <script> -- --help (bench and build scripts)', () => {
  const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts as Record<
    string,
    string
  >;
  // Each script with options, and some options its help must list.
  const cases: [string, string[]][] = [
    ['bench:sr', ['--data DIR', '--json']],
    ['bench:sr-consistency', ['--reference DIR', '--json']],
    [
      'bench:roundtrip-synthetic',
      ['--queries WHICH', '--keep-joins', '--dev FILE', '--timeout-ms MS'],
    ],
    ['bench:load', ['--n N', '--reference DIR']],
    ['build:kiosk', ['--db FILE', '--preset fast|faithful', '--config FILE']],
  ];
  it.each(cases)('%s: --help lists its options; a bad option is one line, exit 2', (name, opts) => {
    const file = scripts[name]?.match(/^tsx (scripts\/\S+\.ts)$/)?.[1];
    expect(file, `package.json runs ${name} with tsx`).toBeDefined();
    const help = runTsx(file!, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout.startsWith(`usage: npm run ${name} -- `)).toBe(true);
    for (const o of [...opts, '-h, --help']) expect(help.stdout).toContain(`\n  ${o} `);
    const bad = runTsx(file!, ['--bogus']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.trim()).toBe(
      `${name}: Unknown option '--bogus' (see npm run ${name} -- --help)`,
    );
  });
});

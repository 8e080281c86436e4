import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands';
import { runCli } from '../support/cli';

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

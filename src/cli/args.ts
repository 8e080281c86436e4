import { parseArgs } from 'node:util';
import { CliError } from './cli-error';

/** One option of a command: how it parses and how `--help` describes it. */
export interface OptionDoc {
  type: 'string' | 'boolean';
  /** The value's placeholder in help, e.g. `DIR` (string options). */
  arg?: string;
  help: string;
  /** Shown in the synopsis; the command itself still checks it (some are conditional). */
  required?: boolean;
}

export type OptionSpec = Record<string, OptionDoc>;

/** What `parseOptions` returns for a spec: strings and booleans, absent when not given. */
export type OptionValues<T extends OptionSpec> = {
  [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string;
};

/** How a command is invoked: `npm run -s share -- <command>`, or an npm script's `npm run <script> --`. */
const shareInvocation = (command: string): string => `npm run -s share -- ${command}`;

/** The hint appended to usage errors. */
export const helpHint = (command: string, invocation = shareInvocation(command)): string =>
  `(see ${invocation} --help)`;

/** `--help` or `-h` among a command's arguments (not after `--`, which ends the options). */
export function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

/** Parses command options strictly; unknown or malformed options become a CliError. */
export function parseOptions<T extends OptionSpec>(
  args: string[],
  options: T,
  command: string,
  invocation = shareInvocation(command),
): OptionValues<T> {
  const config = Object.fromEntries(Object.entries(options).map(([k, o]) => [k, { type: o.type }]));
  try {
    return parseArgs({ args, options: config, strict: true, allowPositionals: false })
      .values as OptionValues<T>;
  } catch (error) {
    throw new CliError(`${command}: ${(error as Error).message} ${helpHint(command, invocation)}`);
  }
}

/** The value of a required string option. */
export function required(
  value: string | boolean | undefined | (string | boolean)[],
  flag: string,
  command: string,
): string {
  if (typeof value !== 'string' || value === '')
    throw new CliError(`${command}: --${flag} is required ${helpHint(command)}`);
  return value;
}

/** An integer option, with a clear error when it is not one. */
export function integer(
  value: string | undefined,
  flag: string,
  command: string,
  fallback?: number,
): number {
  if (value === undefined) {
    if (fallback === undefined)
      throw new CliError(`${command}: --${flag} is required ${helpHint(command)}`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new CliError(`${command}: --${flag} must be an integer, got "${value}"`);
  return n;
}

const optionLabel = (name: string, o: OptionDoc): string =>
  `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;

/** Word-wraps `text` to `width` columns, every line after the first indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join(`\n${' '.repeat(indent)}`);
}

/** What a command is, for `--help`. */
export interface CommandDoc {
  summary: string;
  options: OptionSpec;
  /** Operands after the options, e.g. `FILE…`. */
  operands?: string;
}

/** The `--help` text of one command: synopsis, summary and every option it accepts. */
export function commandHelp(
  name: string,
  doc: CommandDoc,
  width = 88,
  invocation = shareInvocation(name),
): string {
  const entries = Object.entries(doc.options);
  const requiredOpts = entries.filter(([, o]) => o.required).map(([n, o]) => optionLabel(n, o));
  const synopsis = [
    `usage: ${invocation}`,
    ...requiredOpts,
    '[options]',
    ...(doc.operands ? [doc.operands] : []),
  ].join(' ');
  const labels = entries.map(([n, o]) => optionLabel(n, o));
  labels.push('-h, --help');
  const col = Math.min(28, Math.max(...labels.map((l) => l.length)) + 2);
  const rows = entries.map(([, o], i) => {
    const label = labels[i]!;
    const text = o.required ? `${o.help} (required)` : o.help;
    const pad =
      label.length + 2 > col ? `\n${' '.repeat(col + 2)}` : ' '.repeat(col - label.length);
    return `  ${label}${pad}${wrap(text, width - col - 2, col + 2)}`;
  });
  rows.push(`  ${'-h, --help'.padEnd(col)}show this help`);
  return `${wrap(synopsis, width, 4)}\n\n${wrap(doc.summary, width, 0)}\n\noptions:\n${rows.join('\n')}\n`;
}

import { parseArgs } from 'node:util';
import { CliError } from './cli-error';

type OptionSpec = Record<
  string,
  { type: 'string' | 'boolean'; short?: string; multiple?: boolean }
>;

/** Parses command options strictly; unknown or malformed options become a CliError. */
export function parseOptions<T extends OptionSpec>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new CliError(`${command}: ${(error as Error).message}`);
  }
}

/** The value of a required string option. */
export function required(
  value: string | boolean | undefined | (string | boolean)[],
  flag: string,
  command: string,
): string {
  if (typeof value !== 'string' || value === '')
    throw new CliError(`${command}: --${flag} is required`);
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
    if (fallback === undefined) throw new CliError(`${command}: --${flag} is required`);
    return fallback;
  }
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new CliError(`${command}: --${flag} must be an integer, got "${value}"`);
  return n;
}

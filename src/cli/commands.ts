import type { CommandDoc } from './args';
import { checkDbCommand } from './commands/check-db';
import { conformanceCommand } from './commands/conformance';
import { correctCommand } from './commands/correct';
import { evalCommand } from './commands/eval';
import { roundtripCommand } from './commands/roundtrip';
import { runCommand } from './commands/run';
import { srBenchCommand } from './commands/sr-bench';

/**
 * A CLI command: `run` gets the arguments after the command name, returns the exit code;
 * `options` is what it parses and what `--help` lists.
 */
export interface Command extends CommandDoc {
  run(args: string[]): Promise<number>;
}

/** Every command of `npm run -s share -- <command>`. */
export const COMMANDS: Record<string, Command> = {
  'check-db': checkDbCommand,
  conformance: conformanceCommand,
  correct: correctCommand,
  eval: evalCommand,
  run: runCommand,
  roundtrip: roundtripCommand,
  'sr-bench': srBenchCommand,
};

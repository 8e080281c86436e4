import { checkDbCommand } from './commands/check-db';
import { conformanceCommand } from './commands/conformance';
import { correctCommand } from './commands/correct';
import { evalCommand } from './commands/eval';
import { roundtripCommand } from './commands/roundtrip';
import { runCommand } from './commands/run';
import { srBenchCommand } from './commands/sr-bench';

/** A CLI command: `run` gets the arguments after the command name, returns the exit code. */
export interface Command {
  summary: string;
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

import { checkDbCommand } from './commands/check-db';
import { conformanceCommand } from './commands/conformance';
import { correctCommand } from './commands/correct';
import { evalCommand } from './commands/eval';

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
};

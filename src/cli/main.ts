#!/usr/bin/env node
/**
 * `npm run -s share -- <command> [options]`: the Node entry point of share-web.
 * JSON results go to stdout alone; progress and logs go to stderr.
 */
import { asksForHelp, commandHelp } from './args';
import { CliError } from './cli-error';
import { COMMANDS } from './commands';

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`);
  return (
    `usage: npm run -s share -- <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    'npm run -s share -- <command> --help lists the options of one command.\n'
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined) return main([rest[0], '--help']);
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`share: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  if (asksForHelp(rest)) {
    process.stdout.write(commandHelp(name, command));
    return 0;
  }
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      process.stderr.write(`share: ${error.message}\n`);
      process.exitCode = error.exitCode;
    } else {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`share: unexpected failure: ${message}\n`);
      if (process.env.SHARE_DEBUG) console.error(error);
      process.exitCode = 1;
    }
  },
);

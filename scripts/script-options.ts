import {
  asksForHelp,
  type CommandDoc,
  commandHelp,
  type OptionSpec,
  type OptionValues,
  parseOptions,
} from '../src/cli/args';

/**
 * The options of `npm run <script>`, parsed strictly with the CLI's parser: `--help` prints
 * them (generated from the same spec) and exits 0; an unknown or malformed option is one line
 * on stderr and exit code 2, not a stack trace.
 */
export function scriptOptions<T extends OptionSpec>(
  script: string,
  doc: CommandDoc & { options: T },
  args: string[] = process.argv.slice(2),
): OptionValues<T> {
  const invocation = `npm run ${script} --`;
  if (asksForHelp(args)) {
    process.stdout.write(commandHelp(script, doc, 88, invocation));
    process.exit(0);
  }
  try {
    return parseOptions(args, doc.options, script, invocation);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
}

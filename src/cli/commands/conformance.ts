import { runConformance } from '../../core/reference/conformance';
import { STAGES } from '../../core/share/stages';
import { type OptionSpec, parseOptions, required } from '../args';
import type { Command } from '../commands';
import { loadReferenceDir, REFERENCE_OPTION } from '../reference-dir';

const OPTIONS = {
  ...REFERENCE_OPTION,
  json: { type: 'boolean', help: 'print one JSON object on stdout instead of a table' },
} as const satisfies OptionSpec;

export const conformanceCommand: Command = {
  summary: 'replay a recorded SHARE run and compare every prompt we build with the recorded one',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'conformance');
    const ref = loadReferenceDir(required(opts.reference, 'reference', 'conformance'));
    const tty = process.stderr.isTTY;
    const report = await runConformance(ref, (done, total) => {
      if (tty && (done % 25 === 0 || done === total))
        process.stderr.write(`\rconformance: ${done}/${total} items`);
    });
    if (tty) process.stderr.write('\n');
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const out: string[] = [
      `set ${report.set}: ${report.items} items`,
      '',
      'stage       compared  identical',
    ];
    for (const stage of STAGES) {
      const t = report.stages[stage];
      out.push(
        `${stage.padEnd(10)} ${String(t.compared).padStart(9)} ${String(t.identical).padStart(10)}`,
      );
    }
    const a = report.augmentedSchema;
    out.push(
      `${'aug.schema'.padEnd(10)} ${String(a.compared).padStart(9)} ${String(a.identical).padStart(10)}`,
    );
    for (const m of report.mismatches) out.push('', `--- item ${m.idx}, ${m.stage}`, m.diff);
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};

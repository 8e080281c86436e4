import { STAGE_FILES } from '../../core/reference/reference-set';
import { initSqlParser } from '../../core/sql/parse';
import { runSrBench } from '../../core/sr/reference-bench';
import { type OptionSpec, parseOptions, required } from '../args';
import type { Command } from '../commands';
import { loadReferenceDir, REFERENCE_OPTION } from '../reference-dir';

const pct = (n: number, d: number) => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

const OPTIONS = {
  ...REFERENCE_OPTION,
  json: {
    type: 'boolean',
    help: 'print one JSON object {"parse", "mask", "sqlToSr"} on stdout instead of a table',
  },
  verbose: {
    type: 'boolean',
    help: 'print every miss (SR that does not parse, masks and SR that differ) on stderr',
  },
} as const satisfies OptionSpec;

export const srBenchCommand: Command = {
  summary: 'measure SR parsing, deterministic masking and SQL→SR against a recorded SHARE run',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'sr-bench');
    const ref = loadReferenceDir(required(opts.reference, 'reference', 'sr-bench'), 'sr-bench');
    // A set without a stage's file still measures the rest; say what cannot be compared.
    const recorded = (stage: 'bam' | 'mask') => (ref.stages.get(stage)?.size ?? 0) > 0;
    if (!recorded('bam'))
      process.stderr.write(
        `sr-bench: no records in ${STAGE_FILES.bam}: SQL→SR and masking have nothing to compare with\n`,
      );
    else if (!recorded('mask'))
      process.stderr.write(
        `sr-bench: no records in ${STAGE_FILES.mask}: masking has nothing to compare with\n`,
      );
    await initSqlParser();
    const report = runSrBench(ref, (miss) => {
      if (!opts.verbose) return;
      const where = miss.stage ? ` (${miss.stage})` : '';
      process.stderr.write(`--- ${miss.kind} ${miss.idx}${where}\n${miss.detail}\n`);
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(report)}\n`);
      return 0;
    }
    const { parse, mask, sqlToSr } = report;
    const lines = [
      `set ${ref.name}: ${ref.items.length} items`,
      `SQL parsed        ${parse.sql.ok}/${parse.sql.total} (${pct(parse.sql.ok, parse.sql.total)})`,
      `SR parsed         ${parse.sr.ok}/${parse.sr.total} (${pct(parse.sr.ok, parse.sr.total)})`,
      `mask = model      ${mask.exactVsModel}/${mask.compared} (${pct(mask.exactVsModel, mask.compared)})`,
      `mask complete     ${mask.complete}/${mask.compared} (${pct(mask.complete, mask.compared)})`,
      `SQL→SR = model    ${sqlToSr.exact}/${sqlToSr.compared} (${pct(sqlToSr.exact, sqlToSr.compared)})`,
      `SQL→SR step sim.  ${sqlToSr.stepSimilarity.toFixed(3)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

import { ReplayEngine } from '../../core/engine/replay';
import { recordingOf } from '../../core/reference/conformance';
import { SchemaError } from '../../core/schema/errors';
import { schemaForDb } from '../../core/schema/from-tables-json';
import type { Schema } from '../../core/schema/schema';
import { correct } from '../../core/share/pipeline';
import { STAGE_TITLE } from '../../core/share/stages';
import { integer, type OptionSpec, parseOptions, required } from '../args';
import { CliError } from '../cli-error';
import type { Command } from '../commands';
import { loadReferenceDir, REFERENCE_OPTION } from '../reference-dir';

const OPTIONS = {
  ...REFERENCE_OPTION,
  idx: { type: 'string', arg: 'N', required: true, help: "the item's idx in its dev.json" },
  prompts: { type: 'boolean', help: "also print each stage's prompt and the recorded response" },
} as const satisfies OptionSpec;

export const correctCommand: Command = {
  summary: 'run one item of a recorded set through the pipeline and print its event stream',
  options: OPTIONS,
  async run(args) {
    const opts = parseOptions(args, OPTIONS, 'correct');
    const ref = loadReferenceDir(required(opts.reference, 'reference', 'correct'));
    const idx = integer(opts.idx, 'idx', 'correct');
    const item = ref.items.find((i) => i.idx === idx);
    if (!item)
      throw new CliError(
        `correct: item ${idx} is not in ${ref.name} (it has ${ref.items.length} items)`,
      );
    let schema: Schema;
    try {
      schema = schemaForDb(ref.tables, item.dbId);
    } catch (error) {
      // A reference folder whose tables.json lacks the item's database is the user's input.
      if (error instanceof SchemaError) throw new CliError(`correct: ${error.message}`);
      throw error;
    }
    const out = (s: string): boolean => process.stdout.write(s);
    out(`item ${idx} · database ${item.dbId}\nquestion: ${item.question}\n`);
    if (item.evidence) out(`evidence: ${item.evidence}\n`);
    let failed = false;
    for await (const event of correct(item, {
      engine: new ReplayEngine(recordingOf(ref)),
      schema,
      columnMeanings: ref.columnMeanings,
      models: {
        bam: 'bam',
        sam: 'sam',
        lom: 'lom',
        generator: ref.finalSql ? 'generator' : undefined,
      },
    })) {
      switch (event.type) {
        case 'stage-start':
          out(
            `\n== ${STAGE_TITLE[event.stage]} · model ${event.model} · attempt ${event.attempt}\n`,
          );
          if (opts.prompts) out(`-- prompt --\n${event.prompt}\n-- response --\n`);
          break;
        case 'token':
          out(event.text);
          break;
        case 'retry':
          out(`\n[retry ${event.attempt}: ${event.reason}]\n`);
          break;
        case 'stage-end': {
          const r = event.record;
          const tokens = r.usage
            ? ` · ${r.usage.promptTokens}+${r.usage.completionTokens} tokens`
            : '';
          out(
            `\n-- extracted --\n${r.extracted || '(no block)'}\n-- ${r.durationMs} ms${tokens}\n`,
          );
          break;
        }
        case 'result':
          out(`\n== augmented schema\n${event.result.augmentedSchema.join('\n')}\n`);
          out(`\n== final SQL\n${event.result.finalSql ?? '(no generator output recorded)'}\n`);
          break;
        case 'error':
          failed = true;
          out(`\n!! ${event.message}\n`);
          break;
      }
    }
    return failed ? 1 : 0;
  },
};

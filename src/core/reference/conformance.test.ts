import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIRD_DEV_EVEN, SPIDER2SQLITE } from '../../../test/paths';
import { pyRepr } from '../share/python-literal';
import { runConformance } from './conformance';
import { normalizeSetOrder } from './normalize';
import { parseReferenceSet, STAGE_FILES } from './reference-set';

const OPTIONAL = [
  'column_meaning.json',
  'augmented_schema.json',
  'final_sql.json',
  ...Object.values(STAGE_FILES),
];

function readSet(dir: string, only?: string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const f of ['dev.json', 'tables.json', 'baseline_sql.json', ...OPTIONAL]) {
    if (only && !only.includes(f) && OPTIONAL.includes(f)) continue;
    try {
      files.set(f, readFileSync(join(dir, f), 'utf8'));
    } catch {
      // the set does not have this file
    }
  }
  return files;
}

describe('conformance on the recorded runs', () => {
  it('spider2sqlite: every prompt of the 5 stages and every augmented schema is identical', async () => {
    const report = await runConformance(parseReferenceSet('spider2sqlite', readSet(SPIDER2SQLITE)));
    expect(report.items).toBe(135);
    for (const stage of ['bam', 'mask', 'sam', 'lom', 'generator'] as const) {
      expect(report.stages[stage]).toEqual({ compared: 135, identical: 135 });
    }
    expect(report.augmentedSchema).toEqual({ compared: 135, identical: 135 });
    expect(report.mismatches).toEqual([]);
  });

  it('bird-dev-even: stages 1-2 identical on all 767 items, other stages not compared', async () => {
    const report = await runConformance(parseReferenceSet('bird-dev-even', readSet(BIRD_DEV_EVEN)));
    expect(report.items).toBe(767);
    expect(report.stages.bam).toEqual({ compared: 767, identical: 767 });
    expect(report.stages.mask).toEqual({ compared: 767, identical: 767 });
    expect(report.stages.sam).toEqual({ compared: 0, identical: 0 });
    expect(report.augmentedSchema).toEqual({ compared: 0, identical: 0 });
  });

  it('detects a changed byte and reports it with a diff', async () => {
    const files = readSet(SPIDER2SQLITE, ['original_traj.jsonl']);
    const lines = files.get('original_traj.jsonl')!.split('\n');
    const row = JSON.parse(lines[5]!) as { idx: number; prompt: string };
    row.prompt = row.prompt.replace(
      "Do not generate 'join' action.",
      'Do not generate "join" action.',
    );
    lines[5] = JSON.stringify(row);
    files.set('original_traj.jsonl', lines.join('\n'));
    const report = await runConformance(parseReferenceSet('mutated', files));
    expect(report.stages.bam).toEqual({ compared: 135, identical: 134 });
    expect(report.mismatches).toHaveLength(1);
    expect(report.mismatches[0]).toMatchObject({ idx: row.idx, stage: 'bam' });
    expect(report.mismatches[0]!.diff).toContain(
      `+Please pay attention that SR ignore 'join' action. Do not generate 'join' action.`,
    );
  });

  it('reports the stages it could not reach, with the reason', async () => {
    const files = readSet(SPIDER2SQLITE, ['intermediate_traj.jsonl']);
    const report = await runConformance(parseReferenceSet('partial', files));
    // Without the stage-1/2 responses the pipeline cannot reach stage 3: reported, not hidden.
    expect(report.stages.sam.compared).toBe(135);
    expect(report.stages.sam.identical).toBe(0);
    expect(report.mismatches[0]!.diff).toContain('no recorded response for stage bam');
  });
});

describe('normalizeSetOrder', () => {
  it('sorts schema lists and description lines, and nothing else', () => {
    const a = `x\nschema = ${pyRepr(['b.c', 'a.b'])}\n\`\`\`column description\n# b\n# a\n\n\`\`\`\nz = ['q', 'p']`;
    const b = `x\nschema = ${pyRepr(['a.b', 'b.c'])}\n\`\`\`column description\n# a\n\n# b\n\`\`\`\nz = ['q', 'p']`;
    expect(normalizeSetOrder(a)).toBe(normalizeSetOrder(b));
    expect(normalizeSetOrder("z = ['q', 'p']")).toBe("z = ['q', 'p']");
    expect(normalizeSetOrder(`highlighted_schema = [['b', 'c'], ['a', 'b']]`)).toBe(
      `highlighted_schema = [['a', 'b'], ['b', 'c']]`,
    );
  });
});

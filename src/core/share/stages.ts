/** The five stages of SHARE, in order, by the names used in events, files and reports. */
export const STAGES = ['bam', 'mask', 'sam', 'lom', 'generator'] as const;
export type StageName = (typeof STAGES)[number];

/** Which model role serves each stage (stage 1 and 2 both run on BAM). */
export const STAGE_ROLE: Record<StageName, 'bam' | 'sam' | 'lom' | 'generator'> = {
  bam: 'bam',
  mask: 'bam',
  sam: 'sam',
  lom: 'lom',
  generator: 'generator',
};

/** What each stage does, for people. */
export const STAGE_TITLE: Record<StageName, string> = {
  bam: 'SQL → action trajectory (BAM)',
  mask: 'Mask schema (BAM)',
  sam: 'Fill schema (SAM)',
  lom: 'Fix logic (LOM)',
  generator: 'Trajectory → SQL (generator)',
};

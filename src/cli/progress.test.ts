import { describe, expect, it } from 'vitest';
import { formatSeconds, ProgressBar } from './progress';

function fakeStream(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const write = (s: string): boolean => {
    text += s;
    return true;
  };
  return { stream: { isTTY: false, write } as unknown as NodeJS.WriteStream, text: () => text };
}

describe('ProgressBar', () => {
  it('draws done/total with elapsed time and an ETA, and ends the line', () => {
    const sink = fakeStream();
    const bar = new ProgressBar('run bam', sink.stream, true);
    bar.update(5, 10);
    expect(sink.text()).toMatch(/^\rrun bam [█░]{30} 5\/10 · \d+s elapsed · ETA \d+s/);
    bar.update(10, 10);
    expect(sink.text()).toMatch(/10\/10 · \d+s elapsed · ETA --/);
    bar.finish();
    expect(sink.text().endsWith('\n')).toBe(true);
  });

  it('stays silent when stderr is not a terminal', () => {
    const sink = fakeStream();
    new ProgressBar('eval', sink.stream).update(1, 2);
    expect(sink.text()).toBe('');
  });

  it('formats durations', () => {
    expect(formatSeconds(12.4)).toBe('12s');
    expect(formatSeconds(185)).toBe('3m05s');
    expect(formatSeconds(3720)).toBe('1h02m');
  });
});

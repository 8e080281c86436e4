import { describe, expect, it } from 'vitest';
import { etaSeconds, progressMegabytes } from './progress';

describe('web-llm progress', () => {
  it('reads the megabytes of web-llm 0.2.86 progress texts', () => {
    expect(
      progressMegabytes('Fetching param cache[3/50]: 120MB fetched. 6% completed, 4 secs elapsed.'),
    ).toBe(120);
    expect(progressMegabytes('Loading model from cache[10/50]: 800MB loaded. 20% completed')).toBe(
      800,
    );
    expect(progressMegabytes('Start to fetch params')).toBeUndefined();
  });

  it('estimates the time left only when it can', () => {
    expect(etaSeconds(0.25, 10)).toBe(30);
    expect(etaSeconds(0, 10)).toBeUndefined();
    expect(etaSeconds(1, 10)).toBeUndefined();
  });
});

/** Megabytes web-llm reports in its init progress text ("Fetching param cache[3/50]: 120MB fetched. …"). */
export function progressMegabytes(text: string): number | undefined {
  const m = /(\d+(?:\.\d+)?)\s*MB (?:fetched|loaded)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Seconds left at this pace, once there is enough progress to say (undefined otherwise). */
export function etaSeconds(progress: number, elapsedSeconds: number): number | undefined {
  if (!(progress > 0.01 && progress < 1) || elapsedSeconds <= 0) return undefined;
  return (elapsedSeconds * (1 - progress)) / progress;
}

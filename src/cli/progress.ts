/** A one-line progress bar with ETA on stderr (only when stderr is a terminal). */
export class ProgressBar {
  private readonly started = Date.now();
  private last = 0;
  private shown = false;

  constructor(
    private readonly label: string,
    private readonly stream: NodeJS.WriteStream = process.stderr,
    private readonly force = false,
  ) {}

  /** Redraws at most every 100 ms, and always at the end. */
  update(done: number, total: number, note = ''): void {
    if (!this.stream.isTTY && !this.force) return;
    const now = Date.now();
    if (done < total && now - this.last < 100) return;
    this.last = now;
    const width = 30;
    const frac = total === 0 ? 1 : done / total;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = done > 0 && done < total ? formatSeconds((elapsed / done) * (total - done)) : '--';
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    this.stream.write(
      `\r${this.label} ${bar} ${done}/${total} · ${formatSeconds(elapsed)} elapsed · ETA ${eta}${note ? ` · ${note}` : ''}\x1b[K`,
    );
    this.shown = true;
  }

  /** Ends the line. */
  finish(): void {
    if (this.shown) this.stream.write('\n');
    this.shown = false;
  }
}

/** Seconds as `1h02m`, `3m05s` or `12s`. */
export function formatSeconds(s: number): string {
  const t = Math.round(s);
  if (t >= 3600)
    return `${Math.floor(t / 3600)}h${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}m`;
  if (t >= 60) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${t}s`;
}

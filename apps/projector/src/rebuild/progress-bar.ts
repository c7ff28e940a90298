// A progress bar on stderr for long work: redrawn in place on a terminal, a line per 10% otherwise.
import type { RebuildProgress } from './rebuild-projection.js';

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr): (p: RebuildProgress) => void {
  const started = Date.now();
  let lastDraw = 0;
  let lastTenth = -1;
  return (p) => {
    const now = Date.now();
    const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
    const rate = p.done / Math.max(0.001, (now - started) / 1000);
    const width = 30;
    const filled = Math.round(fraction * width);
    const line =
      `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(fraction * 100).toFixed(1).padStart(5)}% ` +
      `${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')} events, ${Math.round(rate).toLocaleString('en-US')} events/s — ${p.phase}`;
    if (stream.isTTY) {
      if (now - lastDraw < 100 && p.phase === 'reading') return;
      lastDraw = now;
      stream.write(`\r${line}${p.phase === 'done' ? '\n' : ''}`);
    } else {
      const tenth = Math.floor(fraction * 10);
      if (tenth === lastTenth && p.phase === 'reading') return;
      lastTenth = tenth;
      stream.write(line + '\n');
    }
  };
}

import type { SingleBar } from 'cli-progress';
import { createRequire } from 'node:module';

/**
 * The callback the core reports long work through: a stage label alone, or a label with how many
 * of `total` units (folds × candidates, trees, refits, files) are done.
 */
export type ProgressFn = (label: string, done?: number, total?: number) => void;

/**
 * Progress on stderr, only on a terminal and never under --json: a bar with counts, rate and ETA
 * (cli-progress) for counted work, one status line rewritten in place for a bare stage. A pipe, a
 * file or --json gets nothing. Returns the callback and a `done` that clears the line.
 */
export function stderrProgress(enabled: boolean, stream: NodeJS.WriteStream = process.stderr): { update: ProgressFn; done: () => void } {
  const on = enabled && stream.isTTY === true;
  if (!on) return { update: () => undefined, done: () => undefined };
  let bar: SingleBar | null = null;
  let barLabel = '';
  let barTotal = 0;
  let barValue = 0;
  const stopBar = (): void => {
    if (bar !== null) bar.stop();
    bar = null;
  };
  const update: ProgressFn = (label, done, total) => {
    if (done === undefined || total === undefined || total <= 0) {
      // A stage named while counted work is under way (the next fit) relabels the bar.
      if (bar !== null && barValue < barTotal) {
        bar.update(barValue, { label });
        return;
      }
      stopBar();
      stream.write(`\r\u001b[2K${label}…`);
      return;
    }
    // One bar per kind of work: a new total (or a new label's first count) starts a new bar.
    const key = label.replace(/\d+/g, '#');
    if (bar === null || total !== barTotal || done < barValue || (done === 0 && key !== barLabel)) {
      stopBar();
      stream.write('\r\u001b[2K');
      bar = newBar(stream);
      bar.start(total, done, { label });
      barTotal = total;
      barLabel = key;
    } else {
      barLabel = key;
      bar.update(done, { label });
    }
    barValue = done;
  };
  return {
    update,
    done: () => {
      stopBar();
      stream.write('\r\u001b[2K');
    },
  };
}

// cli-progress is CommonJS and only needed on a terminal: load it on first use, not at start-up.
const require = createRequire(import.meta.url);

function newBar(stream: NodeJS.WriteStream): SingleBar {
  const { SingleBar: Bar, Presets } = require('cli-progress') as typeof import('cli-progress');
  return new Bar(
    {
      stream,
      format: '{bar} {value}/{total} {percentage}% | ETA {eta_formatted} | {label}',
      barsize: 24,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
      fps: 10,
      // The label may be long; cli-progress truncates the line to the terminal width itself.
      linewrap: false,
    },
    Presets.shades_classic,
  );
}

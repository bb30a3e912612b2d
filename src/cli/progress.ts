// Progress of long work on stderr: a line redrawn in place on a terminal, otherwise a log line at
// most every two seconds (and at the end), with counts and rates.

export interface Progress {
  update(done: number, details: string): void;
  finish(details: string): void;
}

const LOG_EVERY_MS = 2000;

export interface ProgressOptions {
  /** Say nothing about work that ends within the first log interval (a small graph loads silently). */
  quietWhenShort?: boolean;
  stream?: NodeJS.WriteStream;
}

export function progress(task: string, total: number, unit: string, options: ProgressOptions = {}): Progress {
  const stream = options.stream ?? process.stderr;
  const started = performance.now();
  let lastLog = started;
  let shown = false;
  const line = (done: number, details: string) => {
    const seconds = (performance.now() - started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const percent = Math.min(100, Math.floor((done / total) * 100));
    return `${task}: ${percent}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} ${unit}, ${rate.toLocaleString('en')} ${unit}/s, ${details}`;
  };
  return {
    update(done, details) {
      const now = performance.now();
      if (options.quietWhenShort && now - started < LOG_EVERY_MS) return;
      shown = true;
      if (stream.isTTY) stream.write(`\r${line(done, details)}\u001b[K`);
      else if (now - lastLog >= LOG_EVERY_MS) {
        lastLog = now;
        stream.write(`${line(done, details)}\n`);
      }
    },
    finish(details) {
      if (options.quietWhenShort && !shown) return;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      stream.write(`${stream.isTTY ? '\r\u001b[K' : ''}${task}: done in ${seconds} s, ${details}\n`);
    },
  };
}

/**
 * A one-line progress report on stderr (`put 1,234 records, 410/s`; `1 record`),
 * redrawn in place on a terminal and printed every few seconds otherwise.
 * No dependency: a carriage return and a clear-line escape.
 */
export interface ProgressLine {
  add(count: number): void;
  readonly count: number;
  /** Prints the final line (always, even off a terminal). */
  done(suffix?: string): void;
}

export function progressLine(
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  quiet = false,
): ProgressLine {
  const started = Date.now();
  let count = 0;
  let lastDraw = 0;
  const tty = stream.isTTY === true;
  const text = (): string => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const noun = count === 1 ? 'record' : 'records';
    return `${label} ${count.toLocaleString('en-US')} ${noun}, ${Math.round(count / seconds).toLocaleString('en-US')}/s`;
  };
  const draw = (force: boolean): void => {
    if (quiet) return;
    const now = Date.now();
    if (!force && now - lastDraw < (tty ? 200 : 5000)) return;
    lastDraw = now;
    stream.write(tty ? `\r\x1b[2K${text()}` : `${text()}\n`);
  };
  return {
    add(n) {
      if (n === 0 && count === 0) return;
      count += n;
      draw(false);
    },
    get count() {
      return count;
    },
    done(suffix = '') {
      if (quiet) return;
      stream.write(`${tty ? '\r\x1b[2K' : ''}${text()}${suffix}\n`);
    },
  };
}

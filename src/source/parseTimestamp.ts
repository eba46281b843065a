// A small parser for the Java SimpleDateFormat letters Flink's
// `scan.stream.initpos-timestamp-format` uses. Our own so that reading a stream
// does not bundle a date library (date-fns' `parse` cost ~30 KiB in a page).

type Field = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S' | 'X' | 'Z';

type Token = { readonly literal: string } | { readonly field: Field; readonly count: number };

interface Parts {
  y: number;
  M: number;
  d: number;
  H: number;
  m: number;
  s: number;
  S: number;
  /** Minutes east of UTC; undefined: local time (as Java's default time zone). */
  offset: number | undefined;
}

const SUPPORTED = "y M d H m s S X Z and 'quoted text'";
const WIDTH_ONE_OR_TWO = new Set<Field>(['M', 'd', 'H', 'm', 's']);
const RANGES: Record<'M' | 'H' | 'm' | 's', readonly [string, number, number]> = {
  M: ['a month', 1, 12],
  H: ['an hour', 0, 23],
  m: ['a minute', 0, 59],
  s: ['a second', 0, 59],
};

/** The format as tokens, or why it is not supported. */
function tokenize(format: string): Token[] | string {
  const tokens: Token[] = [];
  let i = 0;
  const pushLiteral = (text: string): void => {
    const last = tokens[tokens.length - 1];
    if (last !== undefined && 'literal' in last)
      tokens[tokens.length - 1] = { literal: last.literal + text };
    else tokens.push({ literal: text });
  };
  while (i < format.length) {
    const c = format.charAt(i);
    if (c === "'") {
      if (format.charAt(i + 1) === "'") {
        pushLiteral("'");
        i += 2;
        continue;
      }
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= format.length) return `the format's quote at character ${i + 1} is not closed`;
        if (format.charAt(j) === "'") {
          if (format.charAt(j + 1) !== "'") break;
          text += "'";
          j += 2;
        } else {
          text += format.charAt(j);
          j += 1;
        }
      }
      pushLiteral(text);
      i = j + 1;
    } else if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (format.charAt(i + count) === c) count += 1;
      const run = c.repeat(count);
      if (!'yMdHmsSXZ'.includes(c) || (WIDTH_ONE_OR_TWO.has(c as Field) && count > 2))
        return `the format's "${run}" is not supported (letters ${SUPPORTED} are)`;
      if (c === 'y' && count === 2) return `the format's "yy" is not supported: write yyyy`;
      if (c === 'X' && count > 3) return `the format's "${run}" is not supported: X, XX or XXX`;
      tokens.push({ field: c as Field, count });
      i += count;
    } else {
      pushLiteral(c);
      i += 1;
    }
  }
  return tokens;
}

/** Reads one offset at `at`: `Z` (X only), `±HH`, `±HHmm` or `±HH:mm`; minutes east of UTC. */
function readOffset(
  text: string,
  at: number,
  field: 'X' | 'Z',
  count: number,
): { offset: number; end: number } | string {
  if (field === 'X' && text.charAt(at) === 'Z') return { offset: 0, end: at + 1 };
  const shapes: Record<string, RegExp> = {
    X1: /[+-]\d{2}(\d{2})?/y,
    X2: /[+-]\d{4}/y,
    X3: /[+-]\d{2}:\d{2}/y,
    Z: /[+-]\d{4}/y,
  };
  const shape = shapes[field === 'Z' ? 'Z' : `X${count}`] as RegExp;
  shape.lastIndex = at;
  const match = shape.exec(text);
  const expected = { X1: '±HH or ±HHmm', X2: '±HHmm', X3: '±HH:mm', Z: '±HHmm' }[
    field === 'Z' ? 'Z' : `X${count}`
  ] as string;
  if (match === null)
    return `a UTC offset (${field === 'X' ? 'Z or ' : ''}${expected}) at character ${at + 1}`;
  const digits = match[0].replace(':', '');
  const hours = Number(digits.slice(1, 3));
  const minutes = digits.length > 3 ? Number(digits.slice(3, 5)) : 0;
  if (hours > 23 || minutes > 59) return `a UTC offset at character ${at + 1} within ±23:59`;
  const sign = digits.startsWith('-') ? -1 : 1;
  return { offset: sign * (hours * 60 + minutes), end: at + match[0].length };
}

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/** The instant the parts name, in their offset or in local time. */
function instantOf(parts: Parts): Date {
  const date = new Date(0);
  if (parts.offset === undefined) {
    date.setFullYear(parts.y, parts.M - 1, parts.d);
    date.setHours(parts.H, parts.m, parts.s, parts.S);
    return date;
  }
  date.setUTCFullYear(parts.y, parts.M - 1, parts.d);
  date.setUTCHours(parts.H, parts.m - parts.offset, parts.s, parts.S);
  return date;
}

/**
 * Parses `text` with a Java SimpleDateFormat pattern (Flink's
 * `scan.stream.initpos-timestamp-format`): `y` (year, `yyyy`), `M`, `d`, `H`,
 * `m`, `s` (one or two digits), `S…` (fraction of a second, up to as many
 * digits as letters: `SSS` = milliseconds), `X`/`XX`/`XXX` (`Z`, `±HH`,
 * `±HHmm`, `±HH:mm`), `Z` (`±HHmm`), `'quoted text'` (`''` is a quote), and any
 * other character as itself. Without an offset the time is local. The whole
 * text must match and every field must be in range (no February 30).
 *
 * @returns the instant, or why the text (or the format) does not fit.
 */
export function parseTimestamp(text: string, format: string): Date | string {
  const tokens = tokenize(format);
  if (typeof tokens === 'string') return tokens;
  const parts: Parts = { y: 1970, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0, offset: undefined };
  let at = 0;
  for (const token of tokens) {
    if ('literal' in token) {
      if (!text.startsWith(token.literal, at)) return `"${token.literal}" at character ${at + 1}`;
      at += token.literal.length;
      continue;
    }
    const { field, count } = token;
    if (field === 'X' || field === 'Z') {
      const read = readOffset(text, at, field, count);
      if (typeof read === 'string') return read;
      parts.offset = read.offset;
      at = read.end;
      continue;
    }
    const most = field === 'y' ? Math.max(4, count) : WIDTH_ONE_OR_TWO.has(field) ? 2 : count;
    const digits = new RegExp(`\\d{1,${most}}`, 'y');
    digits.lastIndex = at;
    const match = digits.exec(text);
    if (match === null) return `digits for "${field.repeat(count)}" at character ${at + 1}`;
    const value = Number(match[0]);
    parts[field] = field === 'S' ? Math.trunc(value * 10 ** (3 - count)) : value;
    at += match[0].length;
  }
  if (at < text.length) return `nothing after character ${at}`;
  if (parts.y < 1) return 'a year from 1';
  for (const [field, [name, low, high]] of Object.entries(RANGES)) {
    const value = parts[field as keyof typeof RANGES];
    if (value < low || value > high) return `${name} from ${low} to ${high}`;
  }
  const days = daysInMonth(parts.y, parts.M);
  if (parts.d < 1 || parts.d > days) return `a day from 1 to ${days} in that month`;
  return instantOf(parts);
}

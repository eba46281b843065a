import { parse as dateFnsParse } from 'date-fns';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMESTAMP_FORMAT, resolveInitialPosition } from '../../src/index.js';
import { parseTimestamp } from '../../src/source/parseTimestamp.js';

const iso = (text: string, format = DEFAULT_TIMESTAMP_FORMAT): string => {
  const parsed = parseTimestamp(text, format);
  return typeof parsed === 'string' ? `problem: ${parsed}` : parsed.toISOString();
};

describe('parseTimestamp: the SimpleDateFormat letters Flink uses', () => {
  it("reads Flink's default format with Z and with ±HH:mm offsets", () => {
    expect(iso('2016-04-04T19:58:46.480Z')).toBe('2016-04-04T19:58:46.480Z');
    expect(iso('2016-04-04T19:58:46.480+02:00')).toBe('2016-04-04T17:58:46.480Z');
    expect(iso('2016-04-04T00:30:00.000+05:45')).toBe('2016-04-03T18:45:00.000Z');
    expect(iso('2016-01-01T00:00:00.000-08:00')).toBe('2016-01-01T08:00:00.000Z');
    expect(iso('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
  });

  it('reads X (±HH, ±HHmm, Z), XX (±HHmm, Z) and RFC 822 Z (±HHmm)', () => {
    expect(iso('2020-05-06 07:08:09+02', 'yyyy-MM-dd HH:mm:ssX')).toBe('2020-05-06T05:08:09.000Z');
    expect(iso('2020-05-06 07:08:09-0130', 'yyyy-MM-dd HH:mm:ssX')).toBe(
      '2020-05-06T08:38:09.000Z',
    );
    expect(iso('2020-05-06 07:08:09Z', 'yyyy-MM-dd HH:mm:ssX')).toBe('2020-05-06T07:08:09.000Z');
    expect(iso('2020-05-06 07:08:09+0200', 'yyyy-MM-dd HH:mm:ssXX')).toBe(
      '2020-05-06T05:08:09.000Z',
    );
    expect(iso('2020-05-06 07:08:09 -0800', 'yyyy-MM-dd HH:mm:ss Z')).toBe(
      '2020-05-06T15:08:09.000Z',
    );
  });

  it('reads quoted text, an escaped quote and other characters as themselves', () => {
    expect(iso("at 2020/05/06 o'clock 07", "'at' yyyy/MM/dd 'o''clock' HH")).toBe(
      iso('2020-05-06T07:00:00', "yyyy-MM-dd'T'HH:mm:ss"),
    );
    expect(iso("2020-05-06'07Z", "yyyy-MM-dd''HHX")).toBe('2020-05-06T07:00:00.000Z');
    expect(iso('[2020.05.06]Z', "'['yyyy.MM.dd']'X")).toBe('2020-05-06T00:00:00.000Z');
  });

  it('reads adjacent fields without separators and one-digit values', () => {
    expect(iso('20200506070809123Z', 'yyyyMMddHHmmssSSSX')).toBe('2020-05-06T07:08:09.123Z');
    expect(iso('2020-5-6 7:8:9Z', 'y-M-d H:m:sX')).toBe('2020-05-06T07:08:09.000Z');
  });

  it('reads S… as a fraction of a second with as many digits as letters (SSS = ms)', () => {
    expect(iso('00:00:00.5Z', 'HH:mm:ss.SX')).toBe('1970-01-01T00:00:00.500Z');
    expect(iso('00:00:00.123456Z', 'HH:mm:ss.SSSSSSX')).toBe('1970-01-01T00:00:00.123Z');
    expect(iso('00:00:00.7Z', 'HH:mm:ss.SSSX')).toBe('1970-01-01T00:00:00.007Z');
  });

  it('without an offset reads local time; missing fields come from 1970-01-01 00:00', () => {
    const local = parseTimestamp('2020/05/06 07:08:09', 'yyyy/MM/dd HH:mm:ss');
    expect(local).toEqual(new Date(2020, 4, 6, 7, 8, 9));
    expect(parseTimestamp('2020-05-06', 'yyyy-MM-dd')).toEqual(new Date(2020, 4, 6));
    const early = parseTimestamp('0099-01-01', 'yyyy-MM-dd');
    expect(early instanceof Date && early.getFullYear()).toBe(99);
  });

  it.each<[string, string, string, string]>([
    [
      'text after the end',
      '2016-04-04T19:58:46.480Zjunk',
      DEFAULT_TIMESTAMP_FORMAT,
      'nothing after character 24',
    ],
    [
      'a missing separator',
      '2016-04-04 19:58:46.480Z',
      DEFAULT_TIMESTAMP_FORMAT,
      '"T" at character 11',
    ],
    [
      'letters for digits',
      '2016-AB-04T19:58:46.480Z',
      DEFAULT_TIMESTAMP_FORMAT,
      'digits for "MM" at character 6',
    ],
    ['an empty text', '', DEFAULT_TIMESTAMP_FORMAT, 'digits for "yyyy" at character 1'],
    [
      'a missing offset',
      '2016-04-04T19:58:46.480',
      DEFAULT_TIMESTAMP_FORMAT,
      'a UTC offset (Z or ±HH:mm) at character 24',
    ],
    [
      'a basic offset for XXX',
      '2016-04-04T19:58:46.480+0200',
      DEFAULT_TIMESTAMP_FORMAT,
      'a UTC offset (Z or ±HH:mm) at character 24',
    ],
    ['Z for RFC 822 Z', '2016-04-04 Z', 'yyyy-MM-dd Z', 'a UTC offset (±HHmm) at character 12'],
    [
      'an offset over 23 hours',
      '2016-04-04T19:58:46.480+24:00',
      DEFAULT_TIMESTAMP_FORMAT,
      'within ±23:59',
    ],
    ['offset minutes over 59', '2016-04-04+0160', 'yyyy-MM-ddXX', 'within ±23:59'],
    ['month 13', '2016-13-04T19:58:46.480Z', DEFAULT_TIMESTAMP_FORMAT, 'a month from 1 to 12'],
    ['month 0', '2016-00-04T19:58:46.480Z', DEFAULT_TIMESTAMP_FORMAT, 'a month from 1 to 12'],
    [
      'February 30',
      '2016-02-30T19:58:46.480Z',
      DEFAULT_TIMESTAMP_FORMAT,
      'a day from 1 to 29 in that month',
    ],
    [
      'February 29 of a common year',
      '2015-02-29T19:58:46.480Z',
      DEFAULT_TIMESTAMP_FORMAT,
      'a day from 1 to 28',
    ],
    ['day 0', '2016-04-00T19:58:46.480Z', DEFAULT_TIMESTAMP_FORMAT, 'a day from 1 to 30'],
    ['hour 24', '2016-04-04T24:00:00.000Z', DEFAULT_TIMESTAMP_FORMAT, 'an hour from 0 to 23'],
    ['minute 60', '2016-04-04T19:60:00.000Z', DEFAULT_TIMESTAMP_FORMAT, 'a minute from 0 to 59'],
    ['second 60', '2016-04-04T19:58:60.000Z', DEFAULT_TIMESTAMP_FORMAT, 'a second from 0 to 59'],
    ['year 0', '0000-04-04T19:58:46.480Z', DEFAULT_TIMESTAMP_FORMAT, 'a year from 1'],
    [
      'a five-digit year',
      '20160-04-04T19:58:46.480Z',
      DEFAULT_TIMESTAMP_FORMAT,
      '"-" at character 5',
    ],
  ])('refuses %s', (_, text, format, reason) => {
    const parsed = parseTimestamp(text, format);
    expect(typeof parsed).toBe('string');
    expect(parsed).toContain(reason);
  });

  it.each<[string, string]>([
    ['EEE yyyy', `the format's "EEE" is not supported`],
    ['yyyy-MMM-dd', `the format's "MMM" is not supported`],
    ['hh:mm a', `the format's "hh" is not supported`],
    ['yy-MM-dd', 'write yyyy'],
    ['yyyy-MM-ddXXXX', 'X, XX or XXX'],
    ["yyyy-MM-dd'T", 'quote at character 11 is not closed'],
  ])('refuses the format %s whatever the text', (format, reason) => {
    expect(parseTimestamp('2016-04-04', format)).toContain(reason);
  });

  it('an unsupported format is a reason from resolveInitialPosition, not a throw', () => {
    const resolved = resolveInitialPosition({
      type: 'AT_TIMESTAMP',
      timestamp: 'Mon 2016',
      format: 'EEE yyyy',
    });
    expect(resolved).toBe(
      `a timestamp in the format "EEE yyyy" (or seconds since the epoch): the format's "EEE" is not supported (letters y M d H m s S X Z and 'quoted text' are)`,
    );
  });

  it('a bad timestamp names the format and what did not fit', () => {
    expect(resolveInitialPosition({ type: 'AT_TIMESTAMP', timestamp: '2024-13-45' })).toBe(
      `a timestamp in the format "${DEFAULT_TIMESTAMP_FORMAT}" (or seconds since the epoch): "T" at character 11`,
    );
    expect(resolveInitialPosition({ type: 'AT_TIMESTAMP', timestamp: '1459799926.48' })).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: new Date(1459799926480),
    });
  });
});

// The parser replaced date-fns' `parse` in the library: on the formats Flink
// users write, both must agree on every text, valid or not.
describe('parseTimestamp agrees with date-fns parse', () => {
  const formats = [
    DEFAULT_TIMESTAMP_FORMAT,
    "yyyy-MM-dd'T'HH:mm:ssXXX",
    'yyyy-MM-dd HH:mm:ss',
    'yyyy/MM/dd HH:mm:ss.SSS',
    'yyyyMMddHHmmssX',
    'dd.MM.yyyy HH:mm',
  ];
  const two = (n: number): string => String(n).padStart(2, '0');
  const text = fc
    .record({
      y: fc.integer({ min: 1, max: 9999 }),
      M: fc.integer({ min: 0, max: 13 }),
      d: fc.integer({ min: 0, max: 32 }),
      H: fc.integer({ min: 0, max: 24 }),
      m: fc.integer({ min: 0, max: 60 }),
      s: fc.integer({ min: 0, max: 60 }),
      S: fc.integer({ min: 0, max: 999 }),
      offset: fc.oneof(
        fc.constant('Z'),
        fc.tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
        ),
      ),
    })
    .map((f) => {
      const offset =
        typeof f.offset === 'string'
          ? f.offset
          : `${f.offset[0]}${two(f.offset[1])}:${two(f.offset[2])}`;
      return {
        [DEFAULT_TIMESTAMP_FORMAT]: `${String(f.y).padStart(4, '0')}-${two(f.M)}-${two(f.d)}T${two(f.H)}:${two(f.m)}:${two(f.s)}.${String(f.S).padStart(3, '0')}${offset}`,
        "yyyy-MM-dd'T'HH:mm:ssXXX": `${String(f.y).padStart(4, '0')}-${two(f.M)}-${two(f.d)}T${two(f.H)}:${two(f.m)}:${two(f.s)}${offset}`,
        'yyyy-MM-dd HH:mm:ss': `${f.y}-${f.M}-${f.d} ${f.H}:${f.m}:${f.s}`,
        'yyyy/MM/dd HH:mm:ss.SSS': `${String(f.y).padStart(4, '0')}/${two(f.M)}/${two(f.d)} ${two(f.H)}:${two(f.m)}:${two(f.s)}.${f.S}`,
        yyyyMMddHHmmssX: `${String(f.y).padStart(4, '0')}${two(f.M)}${two(f.d)}${two(f.H)}${two(f.m)}${two(f.s)}${offset.replace(':', '')}`,
        'dd.MM.yyyy HH:mm': `${two(f.d)}.${two(f.M)}.${f.y} ${two(f.H)}:${two(f.m)}`,
      } as Record<string, string>;
    });
  // Damage: drop, double or replace one character.
  const damaged = fc.tuple(text, fc.nat(), fc.constantFrom('drop', 'double', 'x', '9', ':'));

  const agree = (value: string, format: string): void => {
    const ours = parseTimestamp(value, format);
    // The one deliberate difference: date-fns takes any two-digit offset hours (+90:00).
    if (typeof ours === 'string' && ours.endsWith('within ±23:59')) return;
    const theirs = dateFnsParse(value, format, new Date(0));
    const theirsText = isNaN(theirs.getTime()) ? 'invalid' : theirs.toISOString();
    const oursText = typeof ours === 'string' ? 'invalid' : ours.toISOString();
    expect(`${format} ${value} -> ${oursText}`).toBe(`${format} ${value} -> ${theirsText}`);
  };

  it('on generated texts, in and out of range', () => {
    fc.assert(
      fc.property(text, (texts) => {
        for (const format of formats) agree(texts[format] as string, format);
      }),
      { numRuns: 500 },
    );
  });

  it('on damaged texts', () => {
    fc.assert(
      fc.property(damaged, ([texts, at, how]) => {
        for (const format of formats) {
          const value = texts[format] as string;
          const i = at % (value.length || 1);
          const broken =
            how === 'drop'
              ? value.slice(0, i) + value.slice(i + 1)
              : how === 'double'
                ? value.slice(0, i + 1) + value.slice(i)
                : value.slice(0, i) + how + value.slice(i + 1);
          agree(broken, format);
        }
      }),
      { numRuns: 500 },
    );
  });
});

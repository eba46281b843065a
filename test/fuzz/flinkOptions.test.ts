import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { editDistance } from '../../src/config/didYouMean.js';
import { fromFlinkOptions } from '../../src/config/fromFlinkOptions.js';
import { SQL_OPTION_ROWS } from '../../src/flink/families/sqlOptionRows.js';
import { sinkConfigFromFlinkOptions } from '../../src/config/sinkConfigFromFlinkOptions.js';
import { sourceConfigFromFlinkOptions } from '../../src/config/sourceConfigFromFlinkOptions.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { efoStrategy } from '../../src/source/efo/efoStrategy.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';
import { fuzzParameters } from './fuzzParameters.js';

const ROWS = SQL_OPTION_ROWS.filter((row) => row.prefix !== true);
const KNOWN = ROWS.map((row) => row.key);
const FORMAT_KEYS = [
  'csv.field-delimiter',
  'csv.null-literal',
  'json.fail-on-missing-field',
  'raw.charset',
];
/** Keys a problem may name without their being in the map: required ones and cross-key checks. */
const ALWAYS_NAMEABLE = new Set(['connector', 'stream', 'format', 'aws.region']);

/** A value for a key: mostly the kind its spec expects (in and out of range), sometimes anything. */
function valueFor(key: string): fc.Arbitrary<string> {
  const row = ROWS.find((r) => r.key === key);
  const values = /^one of (.*)$/.exec(row?.codec.name ?? '')?.[1]?.split(', ');
  const text = fc.string({ unit: 'grapheme', maxLength: 12 });
  const numbers = fc.oneof(
    fc.integer().map(String),
    fc.integer({ min: -5, max: 20_000 }).map(String),
    fc.double().map(String),
    fc.constantFrom(
      '0',
      '-1',
      '1e3',
      '99999999999999999999',
      '2147483648',
      ' 7 ',
      '0x10',
      'NaN',
      '',
    ),
  );
  const arbs: Array<fc.Arbitrary<string>> = [
    text,
    numbers,
    fc.constantFrom('true', 'FALSE', ' ', ''),
  ];
  if (values !== undefined) {
    arbs.push(
      fc.constantFrom(...values).chain((v) => fc.constantFrom(v, v.toLowerCase(), ` ${v} `)),
    );
  }
  if (row?.default !== undefined) arbs.push(fc.constant(row.default));
  return fc.oneof(...arbs);
}

/** `key` with one character dropped, doubled or two swapped: a near miss. */
const nearMiss = fc
  .tuple(
    fc.constantFrom(...KNOWN.filter((k) => k.length >= 8)),
    fc.nat(),
    fc.constantFrom('drop', 'double', 'swap'),
  )
  .map(([key, at, edit]) => {
    const i = at % (key.length - 1);
    const wrong =
      edit === 'drop'
        ? key.slice(0, i) + key.slice(i + 1)
        : edit === 'double'
          ? key.slice(0, i) + (key[i] as string) + key.slice(i)
          : key.slice(0, i) + (key[i + 1] as string) + (key[i] as string) + key.slice(i + 2);
    return { key, wrong };
  })
  .filter(
    ({ key, wrong }) =>
      wrong !== key && !KNOWN.includes(wrong) && !wrong.startsWith('sink.producer.'),
  );

const optionMap = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...KNOWN, ...FORMAT_KEYS, 'sink.producer.something-else'), {
      maxLength: 8,
    }),
    fc.array(fc.string({ maxLength: 15 }), { maxLength: 2 }),
    fc.boolean(),
  )
  .chain(([keys, unknown, base]) =>
    fc.tuple(
      fc.tuple(...keys.map((k) => valueFor(k).map((v) => [k, v] as const))),
      fc.tuple(...unknown.map((k) => fc.string({ maxLength: 8 }).map((v) => [k, v] as const))),
      fc.constant(base),
    ),
  )
  .map(([known, unknown, base]) => {
    const map: Record<string, string> = base ? { stream: 'orders', 'aws.region': 'us-east-1' } : {};
    for (const [k, v] of [...unknown, ...known]) map[k] = v;
    return map;
  });

/** Returns the ConfigError (after checking it reads well), or undefined when `run` succeeded. */
function outcome(map: Record<string, string>, run: () => unknown): ConfigError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof ConfigError))
      throw new Error(`not a ConfigError: ${String(error)}`, { cause: error });
    expect(error.message).not.toMatch(/\[object \w+\]/);
    for (const p of error.problems) {
      // a key of the map, or a required key that is missing (then the value shown is undefined)
      const named =
        Object.prototype.hasOwnProperty.call(map, p.path) ||
        ALWAYS_NAMEABLE.has(p.path) ||
        p.value === undefined;
      if (!named)
        throw new Error(`problem names "${p.path}", not a key of the map: ${error.message}`);
      expect(p.expected.trim()).not.toBe('');
      expect(p.expected).not.toMatch(/undefined|NaN/);
    }
    return error;
  }
}

describe('fuzz: Flink option decoders', () => {
  it('random option maps: a ConfigError naming the keys, or a config that then resolves as is', () => {
    fc.assert(
      fc.property(optionMap, (map) => {
        outcome(map, () => fromFlinkOptions(map));
        outcome(map, () => {
          const { config } = sourceConfigFromFlinkOptions(map);
          // the config the option map gave must itself be valid: no second, differently named error
          const resolved = resolveSourceConfig(config);
          if (resolved.recordPublisher === 'EFO') efoStrategy(resolved.efo);
        });
        outcome(map, () => resolveSinkConfig(sinkConfigFromFlinkOptions(map).config));
      }),
      fuzzParameters(0xf11c01, 150),
    );
  });

  it('a near-miss key is refused with a did-you-mean for a key as near', () => {
    fc.assert(
      fc.property(nearMiss, fc.string({ maxLength: 5 }), ({ key, wrong }, value) => {
        const map = { stream: 'orders', 'aws.region': 'us-east-1', [wrong]: value };
        for (const run of [
          () => sourceConfigFromFlinkOptions(map),
          () => sinkConfigFromFlinkOptions(map),
        ]) {
          const error = outcome(map, run);
          const problem = error?.problems.find((p) => p.path === wrong);
          const suggested = /did you mean "([^"]+)"/.exec(problem?.expected ?? '')?.[1];
          if (suggested === undefined)
            throw new Error(`no did-you-mean for "${wrong}": ${error?.message}`);
          expect(editDistance(wrong.toLowerCase(), suggested.toLowerCase())).toBeLessThanOrEqual(
            editDistance(wrong.toLowerCase(), key.toLowerCase()),
          );
        }
      }),
      fuzzParameters(0xf11c02, 80),
    );
  });

  // Shrunk counterexamples of the properties above, as plain examples.
  it('names the deprecated key the user wrote, not its successor', () => {
    expect(() =>
      sinkConfigFromFlinkOptions({
        stream: 'out',
        'aws.region': 'us-east-1',
        'sink.producer.collection-max-count': 'true',
      }),
    ).toThrowError(
      /^sink\.producer\.collection-max-count: expected an Integer.* \(read as sink\.batch\.max-size\), got "true"$/,
    );
  });

  it('names the max a user set below the default base, not the base they never wrote', () => {
    expect(() =>
      sourceConfigFromFlinkOptions({
        stream: 'orders',
        'aws.region': 'us-east-1',
        'scan.stream.describestreamconsumer.backoff.max': '0',
      }),
    ).toThrowError(
      /^scan\.stream\.describestreamconsumer\.backoff\.max: expected a max ≥ the base backoff \(\d+\), got "0"$/,
    );
  });
});

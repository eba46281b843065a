import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { CONSUMER_PROPERTIES_FAMILY } from '../../src/flink/families/consumerPropertiesFamily.js';
import { KPL_PRODUCER_FAMILY } from '../../src/flink/families/kplProducerFamily.js';
import type { OptionFamily, OptionRow } from '../../src/flink/OptionRow.js';
import { translateOptions } from '../../src/flink/translateOptions.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { efoStrategy } from '../../src/source/efo/efoStrategy.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';
import { fuzzParameters } from './fuzzParameters.js';

/** A key of a row (a prefix row: one name under it). */
const keyArb = (row: OptionRow): fc.Arbitrary<string> =>
  row.prefix === true
    ? fc.constantFrom('orders', 'basic.accesskeyid', 'role.arn', 'x').map((n) => `${row.key}.${n}`)
    : fc.constant(row.key);

/** A value: mostly of the row's kind (in and out of range), sometimes anything. */
const valueArb = (row: OptionRow): fc.Arbitrary<string> => {
  const arbs: Array<fc.Arbitrary<string>> = [
    fc.string({ maxLength: 10 }),
    fc.integer({ min: -5, max: 700_000 }).map(String),
    fc.constantFrom('0', '-1', '1.5', '2147483648', ' 7 ', 'true', 'FALSE', '10 s', '250ms', ''),
  ];
  const values = /^one of (.*?)(?: \(|$)/.exec(row.codec.name)?.[1]?.split(', ');
  if (values !== undefined) arbs.push(fc.constantFrom(...values.map((v) => v.toLowerCase())));
  if (row.default !== undefined) arbs.push(fc.constant(row.default));
  return fc.oneof(...arbs);
};

const mapArb = (family: OptionFamily<unknown>, base: Record<string, string>) =>
  fc
    .tuple(
      fc.uniqueArray(fc.constantFrom(...family.rows), { maxLength: 8 }),
      fc.boolean(),
      fc.array(fc.string({ maxLength: 12 }), { maxLength: 1 }),
    )
    .chain(([rows, withBase, unknown]) =>
      fc.tuple(
        fc.tuple(...rows.map((row) => fc.tuple(keyArb(row), valueArb(row)))),
        fc.constant(withBase),
        fc.constant(unknown),
      ),
    )
    .map(([entries, withBase, unknown]) => {
      const map: Record<string, string> = withBase ? { ...base } : {};
      for (const key of unknown) map[key] = 'x';
      for (const [key, value] of entries) map[key] = value;
      return map;
    });

/** A ConfigError whose every problem names a key of the map (or a required one), or nothing. */
function judge(map: Record<string, string>, required: readonly string[], run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const p of error.problems) {
      const named =
        Object.prototype.hasOwnProperty.call(map, p.path) ||
        required.includes(p.path) ||
        p.value === undefined;
      if (!named) throw new Error(`"${p.path}" is not a key of the map: ${error.message}`);
      expect(p.expected.trim()).not.toBe('');
      expect(p.expected).not.toMatch(/undefined|NaN|\[object/);
    }
  }
}

describe('fuzz: Flink property families', () => {
  it('consumer properties: a ConfigError naming keys, or a config fromKinesis resolves as is', () => {
    fc.assert(
      fc.property(
        mapArb(CONSUMER_PROPERTIES_FAMILY as OptionFamily<unknown>, {
          stream: 'orders',
          'aws.region': 'us-east-1',
        }),
        (map) =>
          judge(map, ['stream', 'aws.region'], () => {
            const { config } = translateOptions(CONSUMER_PROPERTIES_FAMILY, map);
            const resolved = resolveSourceConfig(config);
            if (resolved.recordPublisher === 'EFO') efoStrategy(resolved.efo);
          }),
      ),
      fuzzParameters(0xf11c11, 200),
    );
  });

  it('KPL properties: a ConfigError naming keys, or a config toKinesis resolves as is', () => {
    fc.assert(
      fc.property(
        mapArb(KPL_PRODUCER_FAMILY as OptionFamily<unknown>, {
          DefaultStream: 'out',
          'aws.region': 'us-east-1',
        }),
        (map) =>
          judge(map, ['DefaultStream', 'aws.region'], () => {
            resolveSinkConfig(translateOptions(KPL_PRODUCER_FAMILY, map).config);
          }),
      ),
      fuzzParameters(0xf11c12, 200),
    );
  });
});

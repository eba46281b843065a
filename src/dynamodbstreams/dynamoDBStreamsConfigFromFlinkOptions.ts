import { ConfigError } from '../client/errors.js';
import { configPath } from '../config/decodeConfig.js';
import { suggestionFor } from '../config/didYouMean.js';
import {
  type DynamoDBStreamsConfig,
  resolveDynamoDBStreamsConfig,
} from './DynamoDBStreamsConfig.js';
import {
  DYNAMODB_STREAMS_OPTION_SPECS,
  type DynamoDBStreamsOptionSpec,
} from './dynamoDBStreamsOptionSpecs.js';

/** A key that is valid in Flink but has no effect here. */
export interface DynamoDBStreamsOptionWarning {
  readonly key: string;
  readonly message: string;
}

type Problem = { path: string; value: unknown; expected: string };

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  ms: 1,
  s: 1000,
  min: 60_000,
  h: 3_600_000,
};

/** The typed value of one option's text, or what was expected. */
function parse(spec: DynamoDBStreamsOptionSpec, text: string): { value: unknown } | string {
  const trimmed = text.trim();
  switch (spec.type) {
    case 'Integer':
    case 'Long':
      return /^-?\d+$/.test(trimmed) ? { value: Number(trimmed) } : 'a whole number';
    case 'Double':
      return trimmed !== '' && Number.isFinite(Number(trimmed))
        ? { value: Number(trimmed) }
        : 'a number';
    case 'Boolean':
      return /^(true|false)$/i.test(trimmed)
        ? { value: trimmed.toLowerCase() === 'true' }
        : 'true or false';
    case 'Duration': {
      const match = /^(\d+)\s*(ms|s|min|h)?$/i.exec(trimmed);
      if (match === null) return 'a duration (milliseconds, or a number with ms, s, min or h)';
      return { value: Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? 1) };
    }
    case 'String': {
      if (spec.values === undefined) return { value: trimmed };
      const found = spec.values.find((v) => v.toLowerCase() === trimmed.toLowerCase());
      return found !== undefined ? { value: found } : `one of ${spec.values.join(', ')}`;
    }
  }
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    node = (node[key] ??= {}) as Record<string, unknown>;
  }
  node[keys[keys.length - 1] as string] = value;
}

/**
 * The `fromDynamoDBStreams` config of a Flink option map (the keys of
 * `DYNAMODB_STREAMS_OPTION_SPECS`: SQL `scan.stream.describe.*`, DataStream
 * `flink.dynamodbstreams.*`, and the common ones) over `base` (where the
 * table or stream ARN, credentials or a client go). An unknown key (with a
 * did-you-mean), a value of the wrong type or out of range throws one
 * `ConfigError` naming the key; keys with no effect here are accepted and
 * reported to `onWarning` with the reason.
 *
 * ## Example
 * ```ts
 * import { fromDynamoDBStreams, dynamoDBStreamsConfigFromFlinkOptions } from 'rx-kinesis';
 * const config = dynamoDBStreamsConfigFromFlinkOptions(
 *   { 'aws.region': 'eu-west-1', 'flink.stream.initpos': 'TRIM_HORIZON', 'scan.stream.describe.maxretries': '10' },
 *   { table: 'orders' },
 * );
 * fromDynamoDBStreams(config).subscribe(console.log);
 * ```
 *
 * @param options Flink keys to text values
 * @param base the rest of the config
 * @param onWarning called once per key that has no effect here
 * @returns the config (already checked: `fromDynamoDBStreams` accepts it)
 */
export function dynamoDBStreamsConfigFromFlinkOptions(
  options: Readonly<Record<string, string>>,
  base: DynamoDBStreamsConfig = {},
  onWarning?: (warning: DynamoDBStreamsOptionWarning) => void,
): DynamoDBStreamsConfig {
  const specs = new Map(DYNAMODB_STREAMS_OPTION_SPECS.map((spec) => [spec.key, spec]));
  const config = writableCopyOf(base);
  const problems: Problem[] = [];
  const setBy = new Map<string, string>();
  const warnings: DynamoDBStreamsOptionWarning[] = [];
  for (const [key, text] of Object.entries(options)) {
    const path = configPath('options', [key]);
    const spec = specs.get(key);
    if (spec === undefined) {
      problems.push({
        path,
        value: text,
        expected: `a known key${suggestionFor(key, specs.keys())}`,
      });
      continue;
    }
    if (typeof text !== 'string') {
      problems.push({ path, value: text, expected: 'a string' });
      continue;
    }
    const parsed = parse(spec, text);
    if (typeof parsed === 'string') {
      problems.push({ path, value: text, expected: parsed });
      continue;
    }
    if (spec.mapsTo.length === 0) {
      warnings.push({
        key,
        message: `${key} is accepted but has no effect here: ${spec.note ?? ''}`,
      });
      continue;
    }
    for (const target of spec.mapsTo) {
      setPath(config, target, parsed.value);
      setBy.set(`dynamoDBStreams.${target}`, key);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  try {
    resolveDynamoDBStreamsConfig(config);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // name the Flink key that set a bad value, not only the config path it maps to
    throw new ConfigError(
      error.problems.map((p) => {
        const key = setBy.get(p.path);
        return key === undefined
          ? p
          : { ...p, path: `${configPath('options', [key])} (${p.path})` };
      }),
    );
  }
  for (const warning of warnings) onWarning?.(warning);
  return config as DynamoDBStreamsConfig;
}

/** A copy of the plain-data part of `base` that options may write into (clients and functions kept). */
function writableCopyOf(base: DynamoDBStreamsConfig): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...base };
  if (base.polling !== undefined) copy.polling = { ...base.polling };
  if (base.backoff !== undefined) {
    const backoff: Record<string, unknown> = {};
    for (const [call, policy] of Object.entries(base.backoff)) backoff[call] = { ...policy };
    copy.backoff = backoff;
  }
  return copy;
}

import { ConfigError } from '../client/errors.js';
import type { BackoffPolicy } from '../client/BackoffPolicy.js';
import { type InitialPosition, resolveInitialPosition } from '../source/InitialPosition.js';
import type { ClientConfig } from './ClientConfig.js';
import { credentialsFromOptions } from '../flink/credentialsFromOptions.js';
import {
  type OptionText,
  booleanText,
  choiceText,
  doubleText,
  integerText,
} from '../flink/codecs/optionText.js';
import { suggestionFor } from './didYouMean.js';
import {
  DEPRECATED_PRODUCER_OPTIONS,
  FLINK_OPTION_SPECS,
  type FlinkOptionSpec,
} from './flinkOptionSpecs.js';

/** A note about an option that was accepted but changed or ignored (deprecated keys). */
export interface FlinkOptionWarning {
  readonly key: string;
  readonly message: string;
}

/** What the source part of a Flink option map says, in this library's words. */
export interface FlinkSourceSettings {
  readonly stream: string;
  readonly initialPosition: InitialPosition;
  readonly recordPublisher: 'POLLING' | 'EFO';
  readonly efo: {
    readonly consumerName?: string;
    readonly registration: 'LAZY' | 'EAGER' | 'NONE';
    readonly consumerArns: Readonly<Record<string, string>>;
    readonly maxConcurrency: number;
    readonly registerTimeoutMs: number;
    readonly deregisterTimeoutMs: number;
  };
  readonly discoveryIntervalMs: number;
  readonly polling: {
    readonly maxRecords: number;
    readonly intervalMs: number;
    readonly adaptive: boolean;
  };
  readonly backoff: {
    readonly describeStream: BackoffPolicy;
    readonly listShards: BackoffPolicy;
    readonly describeStreamConsumer: BackoffPolicy;
    readonly registerStreamConsumer: BackoffPolicy;
    readonly deregisterStreamConsumer: BackoffPolicy;
    readonly subscribeToShard: BackoffPolicy;
    readonly getRecords: BackoffPolicy;
    readonly getShardIterator: BackoffPolicy;
  };
  /** `undefined` for Flink's -1 (shards are never idle). */
  readonly idleIntervalMs: number | undefined;
  readonly watermark: {
    readonly syncIntervalMs: number;
    /** 0: no alignment. */
    readonly lookaheadMs: number;
    readonly syncQueueCapacity: number;
  };
}

/** What the sink part of a Flink option map says, in this library's words. */
export interface FlinkSinkSettings {
  readonly stream: string;
  /** `fields`: the key is the PARTITIONED BY fields joined with `delimiter`. */
  readonly partitioner:
    | { readonly type: 'random' }
    | { readonly type: 'fixed' }
    | { readonly type: 'fields'; readonly fields: readonly string[]; readonly delimiter: string };
  readonly failOnError: boolean;
  readonly batch: {
    readonly maxRecords: number;
    readonly maxBytes: number;
    readonly maxDelayMs: number;
  };
  readonly maxInFlight: number;
  readonly maxBuffered: number;
  readonly httpClient: { readonly maxConcurrency: number; readonly readTimeoutMs: number };
  /** KPL aggregation, from the deprecated `sink.producer.aggregation-*` keys. */
  readonly aggregation?: { readonly maxCount?: number; readonly maxSize?: number };
}

/** A decoded Flink option map: one table's client, format, source and sink settings. */
export interface FlinkTableOptions {
  readonly stream: string;
  readonly format: { readonly name: string; readonly options: Readonly<Record<string, string>> };
  readonly client: ClientConfig;
  readonly source: FlinkSourceSettings;
  readonly sink: FlinkSinkSettings;
  readonly warnings: readonly FlinkOptionWarning[];
}

/** Settings of `fromFlinkOptions`. */
export interface FromFlinkOptionsSettings {
  /** The table's `PARTITIONED BY` fields (the table layer passes them). */
  readonly partitionedBy?: readonly string[];
  /** Called once per warning (deprecated or ignored keys); they are also in the result. */
  readonly onWarning?: (warning: FlinkOptionWarning) => void;
  /**
   * Require `connector` and `format` (default `true`, as a Flink table). The
   * DataStream-style helpers set it to `false`.
   */
  readonly table?: boolean;
}

type Problem = { path: string; value: unknown; expected: string };

const SPEC_BY_KEY = new Map(
  FLINK_OPTION_SPECS.filter((s) => s.prefix !== true).map((s) => [s.key, s]),
);
const KNOWN_KEYS = [...SPEC_BY_KEY.keys()];
/** Format option keys Flink's formats define that are handled here (the rest are refused with a did-you-mean). */
const FORMAT_KEYS: Readonly<Record<string, readonly string[]>> = {
  json: [
    'json.fail-on-missing-field',
    'json.ignore-parse-errors',
    'json.timestamp-format.standard',
  ],
  csv: [
    'csv.field-delimiter',
    'csv.quote-character',
    'csv.disable-quote-character',
    'csv.null-literal',
    'csv.ignore-parse-errors',
    'csv.allow-comments',
  ],
  raw: ['raw.charset', 'raw.endianness'],
  avro: ['avro.codec', 'avro.schema'],
};

/** Reads option values by spec, consuming keys and collecting problems. */
class OptionReader {
  readonly used = new Set<string>();
  readonly problems: Problem[] = [];
  constructor(
    readonly options: Readonly<Record<string, string>>,
    /** Successor key → the deprecated key (and value) the user wrote, which a problem names. */
    private readonly aliases: ReadonlyMap<string, { key: string; value: string }> = new Map(),
  ) {}

  raw(key: string): string | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.options, key)) return undefined;
    this.used.add(key);
    return this.options[key];
  }

  private spec(key: string): FlinkOptionSpec {
    const spec = SPEC_BY_KEY.get(key);
    if (spec === undefined) throw new Error(`no spec for ${key}`);
    return spec;
  }

  fail(key: string, value: unknown, expected: string): void {
    const alias = this.aliases.get(key);
    if (alias === undefined) this.problems.push({ path: key, value, expected });
    else
      this.problems.push({
        path: alias.key,
        value: alias.value,
        expected: `${expected} (read as ${key})`,
      });
  }

  string(key: string, specKey = key): string | undefined {
    const value = this.raw(key) ?? this.spec(specKey).default;
    if (value !== undefined && this.spec(specKey).required === true && value.trim() === '') {
      this.fail(key, value, 'a non-empty string');
    }
    return value;
  }

  /** Reads a value with its text codec (the wing's, shared by every key family). */
  private decode<A>(key: string, codec: OptionText<A>, value: string): A | undefined {
    const result = codec.decode(value);
    if (result._tag === 'Right') return result.right;
    this.fail(key, value, result.left[0]?.message ?? codec.name);
    return undefined;
  }

  choice<C extends string>(key: string, specKey = key): C | undefined {
    const spec = this.spec(specKey);
    const value = this.raw(key) ?? spec.default;
    if (value === undefined) return undefined;
    return this.decode(key, choiceText(spec.values ?? []), value) as C | undefined;
  }

  bool(key: string): boolean {
    const spec = this.spec(key);
    const value = this.raw(key) ?? spec.default ?? 'false';
    return this.decode(key, booleanText, value) ?? spec.default === 'true';
  }

  number(key: string): number {
    const spec = this.spec(key);
    const value = this.raw(key) ?? spec.default ?? '0';
    const codec =
      spec.type === 'Double'
        ? doubleText(spec.min, spec.max)
        : integerText(spec.type === 'Integer' ? 'Integer' : 'Long', spec.min, spec.max);
    return this.decode(key, codec, value) ?? Number(spec.default ?? 0);
  }

  backoff(prefix: string): BackoffPolicy {
    return {
      base: this.number(`${prefix}.backoff.base`),
      max: this.number(`${prefix}.backoff.max`),
      expConst: this.number(`${prefix}.backoff.expconst`),
      maxRetries: this.number(`${prefix}.maxretries`),
    };
  }
}

/** Turns deprecated `sink.producer.*` keys into their successors (or drops them), with warnings. */
function withoutDeprecated(
  options: Readonly<Record<string, string>>,
  warn: (warning: FlinkOptionWarning) => void,
): { result: Record<string, string>; aliases: Map<string, { key: string; value: string }> } {
  const result: Record<string, string> = {};
  const aliases = new Map<string, { key: string; value: string }>();
  const deprecated: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(options)) {
    if (key.startsWith('sink.producer.')) deprecated.push([key, value]);
    else result[key] = value;
  }
  for (const [key, value] of deprecated) {
    const known = DEPRECATED_PRODUCER_OPTIONS.find((option) => option.key === key);
    if (known?.successor?.startsWith('sink aggregation') === true) {
      // read below into the sink's `aggregation`
      result[key] = value;
      warn({
        key,
        message: `${key} is deprecated in Flink; here it sets ${known.successor.slice(5)} (${known.note})`,
      });
      continue;
    }
    if (known?.successor === undefined) {
      warn({
        key,
        message: `${key} is deprecated and not supported; ignored${known === undefined ? '' : ` (${known.note})`}`,
      });
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(options, known.successor)) {
      warn({
        key,
        message: `${key} is deprecated and ignored: ${known.successor} is also set and wins`,
      });
      continue;
    }
    result[known.successor] = known.convert === undefined ? value : known.convert(value);
    aliases.set(known.successor, { key, value });
    warn({ key, message: `${key} is deprecated; read as ${known.successor} (${known.note})` });
  }
  return { result, aliases };
}

/**
 * Reads a Flink Kinesis SQL connector option map (`'connector' = 'kinesis'`,
 * `stream`, `format`, `aws.*`, `scan.*`, `sink.*`) into typed settings: every
 * option of Flink's table is accepted with Flink's default, or refused with
 * one `ConfigError` that says why (an unknown key with a did-you-mean, a
 * wrong type, a value out of range). Deprecated `sink.producer.*` keys are
 * read as their successors, or ignored, with a warning (in the result and
 * through `onWarning`, never on the console).
 *
 * ## Example
 * ```ts
 * import { fromFlinkOptions } from 'rx-kinesis';
 * const table = fromFlinkOptions({
 *   connector: 'kinesis', stream: 'user_behavior', 'aws.region': 'us-east-2',
 *   'scan.stream.initpos': 'LATEST', format: 'csv',
 * });
 * table.source.initialPosition; // 'LATEST'
 * ```
 */
export function fromFlinkOptions(
  options: Readonly<Record<string, string>>,
  settings: FromFlinkOptionsSettings = {},
): FlinkTableOptions {
  const warnings: FlinkOptionWarning[] = [];
  const warn = (warning: FlinkOptionWarning): void => {
    warnings.push(warning);
    settings.onWarning?.(warning);
  };
  const problems: Problem[] = [];
  for (const [key, value] of Object.entries(options as Record<string, unknown>)) {
    if (typeof value !== 'string')
      problems.push({ path: key, value, expected: 'a string (Flink option values are text)' });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  const current = withoutDeprecated(options, warn);
  const reader = new OptionReader(current.result, current.aliases);
  const table = settings.table !== false;

  // common
  const connector = reader.raw('connector');
  if (table && connector === undefined) reader.fail('connector', undefined, "'kinesis' (required)");
  else if (connector !== undefined && connector.trim().toLowerCase() !== 'kinesis')
    reader.fail('connector', connector, "'kinesis'");
  const stream = reader.raw('stream');
  if (stream === undefined || stream.trim() === '')
    reader.fail('stream', stream, 'the name of the Kinesis stream (required)');
  const formatName = reader.raw('format');
  const formats = SPEC_BY_KEY.get('format')?.values ?? [];
  if (table && formatName === undefined)
    reader.fail('format', undefined, `one of ${formats.join(', ')} (required)`);
  else if (formatName !== undefined && !formats.includes(formatName))
    reader.fail(
      'format',
      formatName,
      `one of ${formats.join(', ')}${suggestionFor(formatName, formats)}`,
    );
  const region = reader.raw('aws.region');
  const endpoint = reader.raw('aws.endpoint');
  if (region === undefined && endpoint === undefined)
    reader.fail(
      'aws.region',
      undefined,
      'a region (either aws.region or aws.endpoint is required)',
    );
  if (region !== undefined && region.trim() === '')
    reader.fail('aws.region', region, 'a non-empty region id');
  if (endpoint !== undefined && !/^https?:\/\/[^\s/]+/.test(endpoint))
    reader.fail('aws.endpoint', endpoint, 'an http:// or https:// URL');
  const trustAllCertificates = reader.bool('aws.trust.all.certificates');
  const credentials = credentialsFromOptions(reader, 'aws.credentials.provider', 'aws.credentials');
  const protocolKeyGiven = Object.prototype.hasOwnProperty.call(
    reader.options,
    'sink.http-client.protocol.version',
  );
  const protocol = reader.choice<'HTTP1_1' | 'HTTP2'>('sink.http-client.protocol.version');

  // source
  const position =
    reader.choice<'LATEST' | 'TRIM_HORIZON' | 'AT_TIMESTAMP'>('scan.stream.initpos') ?? 'LATEST';
  const timestamp = reader.raw('scan.stream.initpos-timestamp');
  const timestampFormatGiven = reader.raw('scan.stream.initpos-timestamp-format');
  let initialPosition: InitialPosition = position === 'AT_TIMESTAMP' ? 'LATEST' : position;
  if (position === 'AT_TIMESTAMP') {
    if (timestamp === undefined) {
      reader.fail(
        'scan.stream.initpos-timestamp',
        undefined,
        'a timestamp (required when scan.stream.initpos is AT_TIMESTAMP)',
      );
    } else {
      const candidate: InitialPosition = {
        type: 'AT_TIMESTAMP',
        timestamp,
        ...(timestampFormatGiven !== undefined ? { format: timestampFormatGiven } : {}),
      };
      const resolved = resolveInitialPosition(candidate);
      if (typeof resolved === 'string')
        reader.fail('scan.stream.initpos-timestamp', timestamp, resolved);
      initialPosition = candidate;
    }
  } else if (timestamp !== undefined) {
    reader.fail(
      'scan.stream.initpos-timestamp',
      timestamp,
      'no timestamp unless scan.stream.initpos is AT_TIMESTAMP',
    );
  }
  const recordPublisher =
    reader.choice<'POLLING' | 'EFO'>('scan.stream.recordpublisher') ?? 'POLLING';
  const consumerName = reader.raw('scan.stream.efo.consumername');
  const registration =
    reader.choice<'LAZY' | 'EAGER' | 'NONE'>('scan.stream.efo.registration') ?? 'LAZY';
  const consumerArns: Record<string, string> = {};
  for (const key of Object.keys(reader.options)) {
    if (!key.startsWith('scan.stream.efo.consumerarn.')) continue;
    consumerArns[key.slice('scan.stream.efo.consumerarn.'.length)] = reader.raw(key) ?? '';
  }
  if (reader.raw('scan.stream.efo.consumerarn') !== undefined) {
    reader.fail(
      'scan.stream.efo.consumerarn',
      reader.options['scan.stream.efo.consumerarn'],
      `a key per stream: scan.stream.efo.consumerarn.${stream ?? '<stream>'}`,
    );
  }
  if (recordPublisher === 'EFO') {
    if (registration !== 'NONE' && (consumerName === undefined || consumerName.trim() === ''))
      reader.fail(
        'scan.stream.efo.consumername',
        consumerName,
        'a consumer name (required with EFO unless registration is NONE)',
      );
    if (registration === 'NONE' && stream !== undefined && consumerArns[stream] === undefined)
      reader.fail(
        `scan.stream.efo.consumerarn.${stream}`,
        undefined,
        'the ARN of the registered consumer (required with registration NONE)',
      );
  }
  const source: FlinkSourceSettings = {
    stream: stream ?? '',
    initialPosition,
    recordPublisher,
    efo: {
      ...(consumerName !== undefined ? { consumerName } : {}),
      registration,
      consumerArns,
      maxConcurrency: reader.number('scan.stream.efo.http-client.max-concurrency'),
      registerTimeoutMs: reader.number('scan.stream.registerstreamconsumer.timeout') * 1000,
      deregisterTimeoutMs: reader.number('scan.stream.deregisterstreamconsumer.timeout') * 1000,
    },
    discoveryIntervalMs: reader.number('scan.shard.discovery.intervalmillis'),
    polling: {
      maxRecords: reader.number('scan.shard.getrecords.maxrecordcount'),
      intervalMs: reader.number('scan.shard.getrecords.intervalmillis'),
      adaptive: reader.bool('scan.shard.adaptivereads'),
    },
    backoff: {
      describeStream: reader.backoff('scan.stream.describe'),
      listShards: reader.backoff('scan.list.shards'),
      describeStreamConsumer: reader.backoff('scan.stream.describestreamconsumer'),
      registerStreamConsumer: reader.backoff('scan.stream.registerstreamconsumer'),
      deregisterStreamConsumer: reader.backoff('scan.stream.deregisterstreamconsumer'),
      subscribeToShard: reader.backoff('scan.shard.subscribetoshard'),
      getRecords: reader.backoff('scan.shard.getrecords'),
      getShardIterator: reader.backoff('scan.shard.getiterator'),
    },
    idleIntervalMs: ((n) => (n < 0 ? undefined : n))(reader.number('scan.shard.idle.interval')),
    watermark: {
      syncIntervalMs: reader.number('scan.watermark.sync.interval'),
      lookaheadMs: reader.number('scan.watermark.lookahead.millis'),
      syncQueueCapacity: reader.number('scan.watermark.sync.queue.capacity'),
    },
  };
  for (const [api, policy] of Object.entries(source.backoff)) {
    if (policy.base > policy.max) {
      const baseKey =
        FLINK_OPTION_SPECS.find((s) => s.mapsTo.endsWith(`backoff.${api}.base`))?.key ?? api;
      const maxKey = baseKey.replace(/\.base$/, '.max');
      // name the key the user wrote: a max set below the default base is the max's problem
      if (reader.raw(baseKey) === undefined && reader.raw(maxKey) !== undefined)
        reader.fail(maxKey, reader.raw(maxKey), `a max ≥ the base backoff (${policy.base})`);
      else reader.fail(baseKey, policy.base, `a base ≤ the max backoff (${policy.max})`);
    }
  }

  // sink
  const partitionedBy = settings.partitionedBy ?? [];
  const partitionerName = reader.raw('sink.partitioner');
  const delimiter = reader.string('sink.partitioner-field-delimiter') ?? '|';
  let partitioner: FlinkSinkSettings['partitioner'] = { type: 'random' };
  if (partitionedBy.length > 0) {
    if (partitionerName !== undefined)
      reader.fail(
        'sink.partitioner',
        partitionerName,
        `no sink.partitioner: a table PARTITIONED BY (${partitionedBy.join(', ')}) is always partitioned by those fields (as in Flink)`,
      );
    partitioner = { type: 'fields', fields: partitionedBy, delimiter };
  } else if (partitionerName !== undefined) {
    const lower = partitionerName.trim().toLowerCase();
    if (lower === 'random' || lower === 'fixed') partitioner = { type: lower };
    else
      reader.fail(
        'sink.partitioner',
        partitionerName,
        `random or fixed${/\./.test(partitionerName) ? ' (a Java partitioner class cannot run here: use toKinesis with a partitionKey function)' : suggestionFor(partitionerName, ['random', 'fixed'])}`,
      );
  }
  const aggregationEnabled = reader.raw('sink.producer.aggregation-enabled');
  const aggregationCount = reader.raw('sink.producer.aggregation-max-count');
  const aggregationSize = reader.raw('sink.producer.aggregation-max-size');
  let aggregation: FlinkSinkSettings['aggregation'];
  if (aggregationEnabled !== undefined) {
    const on = aggregationEnabled.trim().toLowerCase();
    if (on !== 'true' && on !== 'false')
      reader.fail(
        'sink.producer.aggregation-enabled',
        aggregationEnabled,
        'a Boolean (true or false)',
      );
    const whole = (
      key: string,
      text: string | undefined,
      min: number,
      max: number,
    ): number | undefined => {
      if (text === undefined) return undefined;
      const n = Number(text.trim());
      if (!/^\d+$/.test(text.trim()) || n < min || n > max) {
        reader.fail(key, text, `an integer between ${min} and ${max}`);
        return undefined;
      }
      return n;
    };
    const maxCount = whole(
      'sink.producer.aggregation-max-count',
      aggregationCount,
      1,
      4_294_967_295,
    );
    const maxSize = whole('sink.producer.aggregation-max-size', aggregationSize, 1024, 1_048_320);
    if (on === 'true')
      aggregation = {
        ...(maxCount !== undefined ? { maxCount } : {}),
        ...(maxSize !== undefined ? { maxSize } : {}),
      };
  }
  const sink: FlinkSinkSettings = {
    ...(aggregation !== undefined ? { aggregation } : {}),
    stream: stream ?? '',
    partitioner,
    failOnError: reader.bool('sink.fail-on-error'),
    batch: {
      maxRecords: reader.number('sink.batch.max-size'),
      maxBytes: reader.number('sink.flush-buffer.size'),
      maxDelayMs: reader.number('sink.flush-buffer.timeout'),
    },
    maxInFlight: reader.number('sink.requests.max-inflight'),
    maxBuffered: reader.number('sink.requests.max-buffered'),
    httpClient: {
      maxConcurrency: reader.number('sink.http-client.max-concurrency'),
      readTimeoutMs: reader.number('sink.http-client.read-timeout'),
    },
  };

  // format options: `<format>.*`
  const formatOptions: Record<string, string> = {};
  for (const key of Object.keys(reader.options)) {
    const owner = Object.keys(FORMAT_KEYS).find((name) => key.startsWith(`${name}.`));
    if (owner === undefined || reader.used.has(key)) continue;
    reader.used.add(key);
    const known = FORMAT_KEYS[owner] ?? [];
    if (owner !== formatName) {
      reader.fail(
        key,
        reader.options[key],
        `no ${owner}.* option: the format is ${formatName ?? '(none)'}`,
      );
    } else if (!known.includes(key)) {
      reader.fail(
        key,
        reader.options[key],
        `a ${owner} option (${known.join(', ')})${suggestionFor(key, known)}`,
      );
    } else {
      formatOptions[key.slice(owner.length + 1)] = reader.options[key] ?? '';
    }
  }

  // anything left is unknown
  for (const key of Object.keys(reader.options)) {
    if (reader.used.has(key)) continue;
    const candidates = [...KNOWN_KEYS, ...Object.values(FORMAT_KEYS).flat()];
    reader.fail(
      key,
      reader.options[key],
      `a Kinesis connector option${suggestionFor(key, candidates)}`,
    );
  }
  if (reader.problems.length > 0) throw new ConfigError(reader.problems);

  const client: ClientConfig = {
    ...(region !== undefined ? { region } : {}),
    ...(endpoint !== undefined ? { endpoint } : {}),
    ...(trustAllCertificates ? { trustAllCertificates } : {}),
    ...(credentials !== undefined && credentials.type !== 'AUTO' ? { credentials } : {}),
    ...(protocolKeyGiven
      ? { httpProtocol: protocol === 'HTTP1_1' ? ('http1' as const) : ('http2' as const) }
      : {}),
  };
  return {
    stream: stream ?? '',
    format: { name: formatName ?? 'raw', options: formatOptions },
    client,
    source,
    sink,
    warnings,
  };
}

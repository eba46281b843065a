import { resolveInitialPosition } from '../../source/InitialPosition.js';
import { suggestionFor } from '../../config/didYouMean.js';
import { credentialsFromOptions } from '../credentialsFromOptions.js';
import type { OptionRule } from '../OptionRow.js';
import { FORMAT_OPTION_KEYS } from './sqlOptionRows.js';

/** A table (`defineTable`) names its connector and its format; the DataStream-style helpers need not. */
export const tableKeysRule: OptionRule = (context) => {
  if (!context.given('connector'))
    context.fail('connector', undefined, 'one of kinesis (required)');
  if (!context.given('format'))
    context.fail(
      'format',
      undefined,
      `one of ${Object.keys(FORMAT_OPTION_KEYS).join(', ')} (required)`,
    );
};

/** Client `credentials` of both configs, from `aws.credentials.provider` and its sub-keys. */
export const sqlCredentialsRule: OptionRule = (context) => {
  const read = new Set<string>(['aws.credentials.provider']);
  const credentials = credentialsFromOptions(
    {
      raw: (key) => {
        read.add(key);
        return context.raw(key);
      },
      fail: context.fail,
    },
    'aws.credentials.provider',
    'aws.credentials',
  );
  // a setting the chosen kind does not read is a mistake, not a no-op
  for (const key of context.keysStartingWith('aws.credentials.'))
    if (!read.has(key))
      context.fail(
        key,
        context.raw(key),
        `a Kinesis connector option the credential provider ${context.raw('aws.credentials.provider') ?? 'AUTO'} reads`,
      );
  if (credentials === undefined || credentials.type === 'AUTO') return;
  for (const root of ['source', 'sink'])
    context.set(`${root}.credentials`, credentials, 'aws.credentials.provider');
};

/** AT_TIMESTAMP takes its timestamp (and format); the timestamp is checked here, so its error names the key. */
export const sqlInitialPositionRule: OptionRule = (context) => {
  const timestampKey = 'scan.stream.initpos-timestamp';
  const timestamp = context.raw(timestampKey);
  if (context.get('source.initialPosition') !== 'AT_TIMESTAMP') {
    if (timestamp !== undefined)
      context.fail(
        timestampKey,
        timestamp,
        'no timestamp unless scan.stream.initpos is AT_TIMESTAMP',
      );
    return;
  }
  if (timestamp === undefined) {
    context.fail(
      timestampKey,
      undefined,
      'a timestamp (required when scan.stream.initpos is AT_TIMESTAMP)',
    );
    return;
  }
  const format = context.raw('scan.stream.initpos-timestamp-format');
  const candidate = {
    type: 'AT_TIMESTAMP' as const,
    timestamp,
    ...(format !== undefined ? { format } : {}),
  };
  const resolved = resolveInitialPosition(candidate);
  if (typeof resolved === 'string') context.fail(timestampKey, timestamp, resolved);
  else context.set('source.initialPosition', candidate, 'scan.stream.initpos', timestamp);
};

const EFO_KEYS = [
  'scan.stream.describe.',
  'scan.stream.describestreamconsumer.',
  'scan.stream.registerstreamconsumer.',
  'scan.stream.deregisterstreamconsumer.',
  'scan.shard.subscribetoshard.',
  'scan.stream.efo.',
];

/**
 * EFO settings count only with the EFO publisher: with POLLING they are
 * dropped (a key given for them is warned about); with EFO a consumer name
 * is needed unless the registration is NONE, which needs the stream's ARN.
 */
export const sqlEfoRule: OptionRule = (context) => {
  if (context.get('source.recordPublisher') !== 'EFO') {
    context.unset('source.efo');
    for (const key of EFO_KEYS.flatMap((prefix) => context.keysStartingWith(prefix)))
      context.warn(
        key,
        `${key} is accepted but has no effect: scan.stream.recordpublisher is POLLING`,
      );
    return;
  }
  const registration = context.get('source.efo.registration');
  if (registration !== 'NONE' && context.get('source.efo.consumerName') === undefined)
    context.fail(
      'scan.stream.efo.consumername',
      context.raw('scan.stream.efo.consumername'),
      'a consumer name (required with EFO unless registration is NONE)',
    );
  const stream = context.raw('stream');
  const arns = (context.get('source.efo.consumerArns') ?? {}) as Record<string, unknown>;
  if (registration === 'NONE' && stream !== undefined && arns[stream] === undefined)
    context.fail(
      `scan.stream.efo.consumerarn.${stream}`,
      undefined,
      'the ARN of the registered consumer (required with registration NONE)',
    );
};

/** A backoff's base may not exceed its max; the error names the key the user wrote. */
export const backoffOrderRule: OptionRule = (context) => {
  const prefixes = context
    .keysStartingWith('scan.')
    .filter((key) => /\.backoff\.(base|max)$/.test(key))
    .map((key) => key.replace(/\.backoff\.(base|max)$/, ''));
  for (const prefix of new Set(prefixes)) {
    const baseKey = `${prefix}.backoff.base`;
    const maxKey = `${prefix}.backoff.max`;
    const base = context.value<number>(baseKey);
    const max = context.value<number>(maxKey);
    if (base === undefined || max === undefined || base <= max) continue;
    // a max set below the default base is the max's problem
    if (!context.given(baseKey))
      context.fail(maxKey, context.raw(maxKey), `a max ≥ the base backoff (${base})`);
    else context.fail(baseKey, base, `a base ≤ the max backoff (${max})`);
  }
};

/** A table PARTITIONED BY fields is keyed by them (as in Flink); otherwise `sink.partitioner`. */
export const partitionerRule =
  (partitionedBy: readonly string[]): OptionRule =>
  (context) => {
    if (partitionedBy.length === 0) {
      context.set('sink.partitioner', context.value('sink.partitioner'), 'sink.partitioner');
      return;
    }
    if (context.given('sink.partitioner'))
      context.fail(
        'sink.partitioner',
        context.raw('sink.partitioner'),
        `no sink.partitioner: a table PARTITIONED BY (${partitionedBy.join(', ')}) is always partitioned by those fields (as in Flink)`,
      );
    context.set('sink.partitionBy', [...partitionedBy], 'sink.partitioner');
    context.set(
      'sink.partitionerFieldDelimiter',
      context.value('sink.partitioner-field-delimiter'),
      'sink.partitioner-field-delimiter',
    );
  };

/** Deprecated `sink.producer.verify-certificate`, negated (`aws.trust.all.certificates` wins). */
export const verifyCertificateRule: OptionRule = (context) => {
  const key = 'sink.producer.verify-certificate';
  const verify = context.value<boolean>(key);
  if (verify === undefined) return;
  if (context.given('aws.trust.all.certificates')) {
    context.warn(
      key,
      `${key} is deprecated and ignored: aws.trust.all.certificates is also set and wins`,
    );
    return;
  }
  context.warn(key, `${key} is deprecated; read as aws.trust.all.certificates (negated)`);
  for (const root of ['source', 'sink']) context.set(`${root}.trustAllCertificates`, !verify, key);
};

/** Deprecated `sink.producer.aggregation-*`: this sink can still aggregate, so they turn it on. */
export const aggregationRule: OptionRule = (context) => {
  const keys = {
    maxCount: 'sink.producer.aggregation-max-count',
    maxSize: 'sink.producer.aggregation-max-size',
  };
  const enabled = 'sink.producer.aggregation-enabled';
  for (const key of [enabled, ...Object.values(keys)])
    if (context.given(key))
      context.warn(
        key,
        `${key} is deprecated in Flink; here it sets sink aggregation${context.value(enabled) === true ? '' : ` only with ${enabled}=true`}`,
      );
  if (context.value(enabled) !== true) return;
  const aggregation: Record<string, number> = {};
  for (const [field, key] of Object.entries(keys)) {
    const value = context.value<number>(key);
    if (context.given(key) && value !== undefined) aggregation[field] = value;
  }
  context.set(
    'sink.aggregation',
    Object.keys(aggregation).length === 0 ? true : aggregation,
    enabled,
  );
};

/** `<format>.*` keys belong to the table's format and must be one of its options. */
export const formatOptionsRule: OptionRule = (context) => {
  const format = context.value<string>('format');
  for (const [owner, known] of Object.entries(FORMAT_OPTION_KEYS)) {
    for (const key of context.keysStartingWith(`${owner}.`)) {
      if (owner !== format)
        context.fail(
          key,
          context.raw(key),
          `no ${owner}.* option: the format is ${format ?? '(none)'}`,
        );
      else if (!known.includes(key))
        context.fail(
          key,
          context.raw(key),
          `a ${owner} option (${known.join(', ')})${suggestionFor(key, known)}`,
        );
    }
  }
};

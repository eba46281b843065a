import { resolveInitialPosition } from '../../source/InitialPosition.js';
import type { OptionRule } from '../OptionRow.js';

/** The consumer needs a region or an endpoint (as Flink's `validateConsumerConfiguration`). */
export const regionOrEndpointRule: OptionRule = (context) => {
  if (!context.given('aws.region') && !context.given('aws.endpoint'))
    context.fail('aws.region', undefined, 'a region (aws.region or aws.endpoint is required)');
};

/**
 * AT_TIMESTAMP takes its timestamp (and format) from the legacy or the
 * current key; the timestamp is checked here, so its error names the key.
 */
export const initialPositionRule: OptionRule = (context) => {
  const position = context.get('initialPosition');
  const positionKey = context.given('source.init.position')
    ? 'source.init.position'
    : 'flink.stream.initpos';
  const timestampKey = ['flink.stream.initpos.timestamp', 'source.init.timestamp'].find((key) =>
    context.given(key),
  );
  const formatKey = ['flink.stream.initpos.timestamp.format', 'source.init.timestamp.format'].find(
    (key) => context.given(key),
  );
  if (position !== 'AT_TIMESTAMP') {
    if (timestampKey !== undefined)
      context.fail(
        timestampKey,
        context.raw(timestampKey),
        `no timestamp unless ${positionKey} is AT_TIMESTAMP`,
      );
    return;
  }
  const timestamp = timestampKey === undefined ? undefined : context.raw(timestampKey);
  if (timestampKey === undefined || timestamp === undefined) {
    context.fail(
      'flink.stream.initpos.timestamp',
      undefined,
      `a timestamp (required when ${positionKey} is AT_TIMESTAMP; or source.init.timestamp)`,
    );
    return;
  }
  const format = formatKey === undefined ? undefined : context.raw(formatKey);
  const candidate = {
    type: 'AT_TIMESTAMP' as const,
    timestamp,
    ...(format !== undefined ? { format } : {}),
  };
  const resolved = resolveInitialPosition(candidate);
  if (typeof resolved === 'string') context.fail(timestampKey, timestamp, resolved);
  else context.set('initialPosition', candidate, positionKey, timestamp);
};

/**
 * EFO settings count only with the EFO publisher: with POLLING they are
 * dropped (a key given for them is warned about); with EFO a consumer name
 * is needed unless the registration is NONE, which needs an ARN per stream.
 */
export const efoRule: OptionRule = (context) => {
  const efoKeys = [
    'flink.stream.efo.',
    'flink.stream.describe.maxretries',
    'flink.stream.describestreamconsumer.',
    'flink.stream.registerstreamconsumer.',
    'flink.stream.deregisterstreamconsumer.',
    'flink.shard.subscribetoshard.',
    'source.efo.',
  ];
  const publisherKey = context.given('source.reader.type')
    ? 'source.reader.type'
    : 'flink.stream.recordpublisher';
  if (context.get('recordPublisher') !== 'EFO') {
    context.unset('efo');
    for (const key of efoKeys.flatMap((prefix) => context.keysStartingWith(prefix)))
      context.warn(key, `${key} is accepted but has no effect: ${publisherKey} is POLLING`);
    return;
  }
  const registration = context.get('efo.registration');
  if (registration !== 'NONE' && context.get('efo.consumerName') === undefined)
    context.fail(
      'flink.stream.efo.consumername',
      undefined,
      'a consumer name (required with EFO unless the registration is NONE; or source.efo.consumer.name)',
    );
  if (registration === 'NONE') {
    const arns = (context.get('efo.consumerArns') ?? {}) as Record<string, unknown>;
    for (const stream of (context.get('streams') ?? []) as string[]) {
      // Flink keys consumer ARNs by stream name, also for a stream given by ARN
      const name = stream.startsWith('arn:') ? stream.slice(stream.lastIndexOf('/') + 1) : stream;
      if (arns[name] === undefined)
        context.fail(
          `flink.stream.efo.consumerarn.${name}`,
          undefined,
          'the ARN of the registered consumer (required with registration NONE)',
        );
    }
  }
};

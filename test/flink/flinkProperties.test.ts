import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/client/errors.js';
import { sinkConfigFromKplProperties } from '../../src/flink/sinkConfigFromKplProperties.js';
import { sourceConfigFromFlinkProperties } from '../../src/flink/sourceConfigFromFlinkProperties.js';
import type { FlinkOptionWarning } from '../../src/flink/OptionRow.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('seed 001: the FlinkKinesisConsumer example', () => {
  // consumerConfig.put(ConsumerConfigConstants.AWS_REGION, "us-east-1");
  // consumerConfig.put(ConsumerConfigConstants.AWS_ACCESS_KEY_ID, "aws_access_key_id");
  // consumerConfig.put(ConsumerConfigConstants.AWS_SECRET_ACCESS_KEY, "aws_secret_access_key");
  // consumerConfig.put(ConsumerConfigConstants.STREAM_INITIAL_POSITION, "LATEST");
  // new FlinkKinesisConsumer<>("kinesis_stream_name", new SimpleStringSchema(), consumerConfig)
  it('reads as a fromKinesis config with BASIC credentials and Flink defaults', () => {
    const config = sourceConfigFromFlinkProperties({
      stream: 'kinesis_stream_name',
      'aws.region': 'us-east-1',
      'aws.credentials.provider.basic.accesskeyid': 'aws_access_key_id',
      'aws.credentials.provider.basic.secretkey': 'aws_secret_access_key',
      'flink.stream.initpos': 'LATEST',
    });
    const resolved = resolveSourceConfig(config);
    expect(resolved.streams).toEqual(['kinesis_stream_name']);
    expect(resolved.client).toEqual({
      region: 'us-east-1',
      credentials: {
        type: 'BASIC',
        accessKeyId: 'aws_access_key_id',
        secretAccessKey: 'aws_secret_access_key',
      },
    });
    expect(resolved.initialPosition).toEqual({ type: 'LATEST' });
    expect(resolved.polling).toMatchObject({
      maxRecords: 10_000,
      intervalMs: 200,
      adaptive: false,
    });
    expect(resolved.discovery.intervalMs).toBe(10_000);
    expect(resolved.recordPublisher).toBe('POLLING');
  });

  it('AT_TIMESTAMP with a date and its format, as the seed describes', () => {
    const config = sourceConfigFromFlinkProperties({
      stream: 's',
      'aws.region': 'us-east-1',
      'flink.stream.initpos': 'AT_TIMESTAMP',
      'flink.stream.initpos.timestamp': '2016-04-04',
      'flink.stream.initpos.timestamp.format': 'yyyy-MM-dd',
    });
    expect(config.initialPosition).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: '2016-04-04',
      format: 'yyyy-MM-dd',
    });
    expect(resolveSourceConfig(config).initialPosition).toMatchObject({ type: 'AT_TIMESTAMP' });
    // seconds since the epoch, the default format
    expect(
      resolveSourceConfig(
        sourceConfigFromFlinkProperties({
          stream: 's',
          'aws.region': 'us-east-1',
          'flink.stream.initpos': 'AT_TIMESTAMP',
          'flink.stream.initpos.timestamp': '1459799926.480',
        }),
      ).initialPosition,
    ).toEqual({ type: 'AT_TIMESTAMP', timestamp: new Date(1459799926480) });
  });
});

describe('seed 001: the FlinkKinesisProducer examples', () => {
  // producerConfig.put(AWSConfigConstants.AWS_REGION, "us-east-1"); (+ keys)
  // producerConfig.put("AggregationMaxCount", "4294967295");
  // producerConfig.put("CollectionMaxCount", "1000");
  // producerConfig.put("RecordTtl", "30000");
  // producerConfig.put("RequestTimeout", "6000");
  // producerConfig.put("ThreadPoolSize", "15");
  const PRODUCER = {
    'aws.region': 'us-east-1',
    'aws.credentials.provider.basic.accesskeyid': 'aws_access_key_id',
    'aws.credentials.provider.basic.secretkey': 'aws_secret_access_key',
    AggregationMaxCount: '4294967295',
    RecordTtl: '30000',
    RequestTimeout: '6000',
    ThreadPoolSize: '15',
    DefaultStream: 'out',
  };
  it('CollectionMaxCount 1000 is refused: a PutRecords takes at most 500 records', () => {
    expect(
      messageOf(() => sinkConfigFromKplProperties({ ...PRODUCER, CollectionMaxCount: '1000' })),
    ).toBe('CollectionMaxCount: expected a Long between 1 and 500 (out of range), got "1000"');
  });
  it('reads the rest, warning that ThreadPoolSize means nothing here', () => {
    const warnings: FlinkOptionWarning[] = [];
    const config = sinkConfigFromKplProperties(
      { ...PRODUCER, CollectionMaxCount: '500' },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(config).toMatchObject({
      region: 'us-east-1',
      credentials: { type: 'BASIC', accessKeyId: 'aws_access_key_id' },
      aggregation: { maxCount: 4_294_967_295, maxSize: 51_200, timeoutMs: 100 },
      batch: { maxSize: 500 },
      recordTtlMs: 30_000,
      requestTimeoutMs: 6000,
      rateLimit: 100,
    });
    expect(warnings).toEqual([
      {
        key: 'ThreadPoolSize',
        message:
          'ThreadPoolSize is accepted but has no effect here: there is no KPL native process: requests are sent from this process',
      },
    ]);
    expect(resolveSinkConfig(config).batchMaxSize).toBe(500);
  });
  // producerConfig.put("AggregationEnabled", "false"); producerConfig.put("ThreadingModel", "PER_REQUEST");
  it('the commented-out lines: aggregation off, ThreadingModel warned', () => {
    const warnings: string[] = [];
    const config = sinkConfigFromKplProperties(
      { ...PRODUCER, AggregationEnabled: 'false', ThreadingModel: 'PER_REQUEST' },
      { onWarning: (w) => warnings.push(w.key) },
    );
    expect(config.aggregation).toBe(false);
    expect(warnings).toEqual(['ThreadingModel', 'ThreadPoolSize', 'AggregationMaxCount']);
  });
  // producerConfig.put(AWSConfigConstants.AWS_ENDPOINT, "http://localhost:4567");
  it('a non-AWS endpoint', () => {
    const config = sinkConfigFromKplProperties({
      ...PRODUCER,
      'aws.endpoint': 'http://localhost:4567',
    });
    expect(resolveSinkConfig(config).client).toMatchObject({
      region: 'us-east-1',
      endpoint: 'http://localhost:4567',
    });
  });
});

describe('seed 003: FlinkKinesisProducer usage', () => {
  // props.setProperty(AWSConfigConstants.AWS_REGION, "us-west-2"); (+ keys)
  // producer.setDefaultStream("my-output-stream"); producer.setFailOnError(true); producer.setQueueLimit(1000);
  const BASIC = {
    'aws.region': 'us-west-2',
    'aws.credentials.provider.basic.accesskeyid': 'your-access-key',
    'aws.credentials.provider.basic.secretkey': 'your-secret-key',
  };
  it('basic setup: the setters as keys', () => {
    const config = sinkConfigFromKplProperties({
      ...BASIC,
      DefaultStream: 'my-output-stream',
      FailOnError: 'true',
      QueueLimit: '1000',
    });
    expect(resolveSinkConfig(config)).toMatchObject({
      stream: 'my-output-stream',
      failOnError: true,
      maxBuffered: 1000,
    });
  });
  // High-Throughput Configuration
  it('high throughput: RecordMaxBufferedTime, MaxConnections, RequestTimeout, RecordTtl, aggregation, queue limit', () => {
    const config = sinkConfigFromKplProperties({
      ...BASIC,
      DefaultStream: 'my-output-stream',
      RecordMaxBufferedTime: '100',
      MaxConnections: '24',
      RequestTimeout: '6000',
      RecordTtl: '30000',
      AggregationEnabled: 'true',
      AggregationMaxCount: '4294967295',
      AggregationMaxSize: '51200',
      QueueLimit: '10000',
      FailOnError: 'false',
    });
    expect(resolveSinkConfig(config)).toMatchObject({
      flushBufferTimeoutMs: 100,
      maxInflight: 24,
      maxBuffered: 10_000,
      failOnError: false,
      aggregation: { maxCount: 4_294_967_295, maxSize: 51_200, timeoutMs: 100 },
    });
    expect(config).toMatchObject({ recordTtlMs: 30_000, requestTimeoutMs: 6000 });
  });
  // "RetryDuration", "MetricsLevel", "MetricsGranularity" as the seed lists them
  it('RetryDuration, MetricsLevel and MetricsGranularity are accepted with a warning', () => {
    const warnings: FlinkOptionWarning[] = [];
    sinkConfigFromKplProperties(
      {
        ...BASIC,
        DefaultStream: 'o',
        RetryDuration: '10000',
        MetricsLevel: 'SUMMARY',
        MetricsGranularity: 'STREAM',
      },
      { onWarning: (w) => warnings.push(w) },
    );
    expect(warnings.map((w) => w.key)).toEqual([
      'MetricsLevel',
      'MetricsGranularity',
      'RetryDuration',
    ]);
    expect(warnings[0]?.message).toMatch(/kinesisMetrics/);
  });
});

describe('KPL meanings', () => {
  const BASE = { 'aws.region': 'us-east-1', DefaultStream: 'out' };
  it.each([
    [
      'CollectionMaxCount',
      '100',
      (c: ReturnType<typeof sinkConfigFromKplProperties>) => c.batch?.maxSize,
      100,
    ],
    [
      'QueueLimit',
      '2000',
      (c: ReturnType<typeof sinkConfigFromKplProperties>) => c.requests?.maxBuffered,
      2000,
    ],
    [
      'RecordTtl',
      '5000',
      (c: ReturnType<typeof sinkConfigFromKplProperties>) => c.recordTtlMs,
      5000,
    ],
    ['RateLimit', '80', (c: ReturnType<typeof sinkConfigFromKplProperties>) => c.rateLimit, 80],
    [
      'RequestTimeout',
      '2000',
      (c: ReturnType<typeof sinkConfigFromKplProperties>) => c.requestTimeoutMs,
      2000,
    ],
  ] as const)('%s=%s becomes its sink field', (key, text, field, expected) => {
    expect(field(sinkConfigFromKplProperties({ ...BASE, [key]: text }))).toBe(expected);
  });
  it("Flink's defaults: RateLimit 100, RecordTtl 30000, RequestTimeout 6000, aggregation on", () => {
    expect(sinkConfigFromKplProperties(BASE)).toMatchObject({
      rateLimit: 100,
      recordTtlMs: 30_000,
      requestTimeoutMs: 6000,
      aggregation: { maxCount: 4_294_967_295, maxSize: 51_200, timeoutMs: 100 },
      batch: { maxSize: 500 },
      flushBuffer: { size: 5_242_880, timeoutMs: 100 },
      requests: { maxInflight: 24 },
    });
  });
  it('DefaultPartition: every record gets that key', () => {
    const config = sinkConfigFromKplProperties<{ data: string }>({
      ...BASE,
      DefaultPartition: 'p-1',
    });
    const partitioner = resolveSinkConfig(config).partitioner;
    expect(
      typeof partitioner === 'function' ? partitioner({ data: 'anything' }) : partitioner,
    ).toBe('p-1');
  });
  it('a bad value fails against the sink codec, named by its key', () => {
    expect(
      messageOf(() => sinkConfigFromKplProperties({ ...BASE, AggregationMaxSize: '100' })),
    ).toBe(
      'AggregationMaxSize: expected an integer from 1024 to 1048320 (1 MiB less a key) (as sink.aggregation.maxSize), got "100"',
    );
    expect(messageOf(() => sinkConfigFromKplProperties({ ...BASE, RateLimit: '100001' }))).toBe(
      'RateLimit: expected a whole percentage from 1 to 100000 (as sink.rateLimit), got "100001"',
    );
  });
  it('KinesisEndpoint/KinesisPort and VerifyCertificate reach the client', () => {
    expect(
      sinkConfigFromKplProperties({
        ...BASE,
        KinesisEndpoint: 'localhost',
        KinesisPort: '4567',
        VerifyCertificate: 'false',
      }),
    ).toMatchObject({ endpoint: 'https://localhost:4567', trustAllCertificates: true });
  });
  it("Region is the KPL's name of aws.region; ProducerConfigConstants' old names read as the new", () => {
    const warnings: string[] = [];
    const config = sinkConfigFromKplProperties(
      { DefaultStream: 'o', Region: 'eu-west-1', 'aws.producer.collectionMaxCount': '7' },
      { onWarning: (w) => warnings.push(w.message) },
    );
    expect(config).toMatchObject({ region: 'eu-west-1', batch: { maxSize: 7 } });
    expect(warnings).toEqual([
      "Region is read as aws.region (the KPL's name for it)",
      "aws.producer.collectionMaxCount is read as CollectionMaxCount (ProducerConfigConstants' deprecated name)",
    ]);
    expect(
      messageOf(() =>
        sinkConfigFromKplProperties({
          DefaultStream: 'o',
          Region: 'eu-west-1',
          'aws.producer.collectionMaxCount': '700',
        }),
      ),
    ).toBe(
      'aws.producer.collectionMaxCount: expected a Long between 1 and 500 (out of range) (read as CollectionMaxCount), got "700"',
    );
  });
  it('needs DefaultStream and a region', () => {
    expect(messageOf(() => sinkConfigFromKplProperties({}))).toBe(
      [
        'DefaultStream: expected a non-empty String (required: `setDefaultStream`: a stream name or ARN), got undefined',
        'aws.region: expected a region (aws.region, or KPL Region; aws.endpoint alone also does), got undefined',
      ].join('\n'),
    );
  });
});

describe('consumer rules', () => {
  const BASE = { stream: 'orders', 'aws.region': 'us-east-1' };
  it('AT_TIMESTAMP needs a timestamp; a timestamp needs AT_TIMESTAMP; a bad one is named', () => {
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({ ...BASE, 'flink.stream.initpos': 'AT_TIMESTAMP' }),
      ),
    ).toMatch(
      /^flink\.stream\.initpos\.timestamp: expected a timestamp \(required when flink\.stream\.initpos is AT_TIMESTAMP/,
    );
    expect(
      messageOf(() => sourceConfigFromFlinkProperties({ ...BASE, 'source.init.timestamp': '5' })),
    ).toBe(
      'source.init.timestamp: expected no timestamp unless flink.stream.initpos is AT_TIMESTAMP, got "5"',
    );
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'source.init.position': 'AT_TIMESTAMP',
          'source.init.timestamp': 'yesterday',
        }),
      ),
    ).toMatch(/^source\.init\.timestamp: expected .*got "yesterday"$/);
  });
  it('a legacy key and its current twin may not both be set', () => {
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'flink.stream.initpos': 'LATEST',
          'source.init.position': 'TRIM_HORIZON',
        }),
      ),
    ).toBe(
      'source.init.position: expected no source.init.position: flink.stream.initpos is also set and means the same, got "TRIM_HORIZON"',
    );
  });
  it('the current connector: durations, reader type, EFO lifecycle', () => {
    const config = sourceConfigFromFlinkProperties({
      ...BASE,
      'source.init.position': 'TRIM_HORIZON',
      'source.shard.discovery.interval': '30 s',
      'source.reader.empty-records-fetch-interval': '1 s',
      'source.reader.type': 'EFO',
      'source.efo.consumer.name': 'app',
      'source.efo.lifecycle': 'SELF_MANAGED',
    });
    expect(config).toMatchObject({
      initialPosition: 'TRIM_HORIZON',
      discoveryIntervalMs: 30_000,
      polling: { intervalMs: 1000 },
      recordPublisher: 'EFO',
      efo: { consumerName: 'app', registration: 'EAGER' },
    });
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'source.shard.discovery.interval': '10 parsecs',
        }),
      ),
    ).toBe(
      'source.shard.discovery.interval: expected a Duration (e.g. 10 s, 250 ms, 1 min) of at least 1 ms, got "10 parsecs"',
    );
  });
  it('EFO needs a consumer name, registration NONE an ARN per stream; with POLLING EFO keys are warned', () => {
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({ ...BASE, 'flink.stream.recordpublisher': 'EFO' }),
      ),
    ).toMatch(/^flink\.stream\.efo\.consumername: expected a consumer name/);
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'flink.stream.recordpublisher': 'EFO',
          'flink.stream.efo.registration': 'NONE',
        }),
      ),
    ).toMatch(
      /^flink\.stream\.efo\.consumerarn\.orders: expected the ARN of the registered consumer/,
    );
    const warnings: string[] = [];
    const config = sourceConfigFromFlinkProperties(
      { ...BASE, 'flink.stream.efo.consumername': 'app' },
      { onWarning: (w) => warnings.push(w.message) },
    );
    expect(config.efo).toBeUndefined();
    expect(warnings).toEqual([
      'flink.stream.efo.consumername is accepted but has no effect: flink.stream.recordpublisher is POLLING',
    ]);
  });
  it('a bad consumer ARN fails against the source codec, named by its key', () => {
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'flink.stream.recordpublisher': 'EFO',
          'flink.stream.efo.registration': 'NONE',
          'flink.stream.efo.consumerarn.orders': 'not-an-arn',
        }),
      ),
    ).toMatch(
      /^flink\.stream\.efo\.consumerarn\.orders: expected a consumer ARN .*\(as source\.efo\.consumerArns\.orders\), got "not-an-arn"$/,
    );
  });
  it("DescribeStream's delays also set ListShards' (Flink backfills them); ListShards' defaults otherwise", () => {
    expect(sourceConfigFromFlinkProperties(BASE).backoff?.listShards).toEqual({
      base: 1000,
      max: 5000,
      expConst: 1.5,
      maxRetries: 10,
    });
    expect(
      sourceConfigFromFlinkProperties({ ...BASE, 'flink.stream.describe.backoff.base': '50' })
        .backoff?.listShards?.base,
    ).toBe(50);
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'flink.stream.describe.backoff.max': '50',
          'flink.list.shards.backoff.max': '60',
        }),
      ),
    ).toBe(
      'flink.stream.describe.backoff.max: expected no flink.stream.describe.backoff.max: flink.list.shards.backoff.max is also set and means the same, got "50"',
    );
  });

  it("a value the text reads but SourceConfig's codec refuses is named by its key", () => {
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'flink.shard.getrecords.maxrecordcount': '20000',
        }),
      ),
    ).toBe(
      'flink.shard.getrecords.maxrecordcount: expected a whole number from 1 to 10000 (as source.polling.maxRecords), got "20000"',
    );
    expect(
      messageOf(() =>
        sourceConfigFromFlinkProperties({
          ...BASE,
          'source.shard.get-records.max-record-count': '0',
        }),
      ),
    ).toBe(
      'source.shard.get-records.max-record-count: expected a whole number from 1 to 10000 (as source.polling.maxRecords), got "0"',
    );
  });

  it('several streams, and the region or endpoint Flink requires', () => {
    expect(sourceConfigFromFlinkProperties({ ...BASE, stream: 'a, b' }).streams).toEqual([
      'a',
      'b',
    ]);
    expect(messageOf(() => sourceConfigFromFlinkProperties({ stream: 'a' }))).toBe(
      'aws.region: expected a region (aws.region or aws.endpoint is required), got undefined',
    );
  });
});

describe('stream ARNs', () => {
  const ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/orders';
  it('the sink takes DefaultStream as an ARN, as given', () => {
    const config = sinkConfigFromKplProperties({ 'aws.region': 'us-east-1', DefaultStream: ARN });
    expect(config.stream).toBe(ARN);
  });
  it('the source takes stream as an ARN, as given', () => {
    const config = sourceConfigFromFlinkProperties({ 'aws.region': 'us-east-1', stream: ARN });
    expect(config.streams).toEqual([ARN]);
  });
});

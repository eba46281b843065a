import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF } from '../../src/client/BackoffPolicy.js';
import { sinkConfigFromFlinkOptions } from '../../src/config/sinkConfigFromFlinkOptions.js';
import { sourceConfigFromFlinkOptions } from '../../src/config/sourceConfigFromFlinkOptions.js';
import { resolveSinkConfig } from '../../src/sink/SinkConfig.js';
import { resolveSourceConfig } from '../../src/source/SourceConfig.js';

const BASE = { stream: 'user_behavior', 'aws.region': 'us-east-2' };

describe('sourceConfigFromFlinkOptions', () => {
  it('gives a config fromKinesis accepts, with Flink defaults', () => {
    const { config, warnings } = sourceConfigFromFlinkOptions(BASE);
    expect(warnings).toEqual([]);
    const resolved = resolveSourceConfig(config);
    expect(resolved.streams).toEqual(['user_behavior']);
    expect(resolved.client).toEqual({ region: 'us-east-2' });
    expect(resolved.initialPosition).toEqual({ type: 'LATEST' });
    expect(resolved.discovery.intervalMs).toBe(10_000);
    expect(resolved.discovery.backoff).toEqual(DEFAULT_BACKOFF.listShards);
    expect(resolved.polling).toEqual({
      maxRecords: 10_000,
      intervalMs: 200,
      adaptive: false,
      backoff: {
        getRecords: DEFAULT_BACKOFF.getRecords,
        getShardIterator: DEFAULT_BACKOFF.getShardIterator,
      },
    });
    expect(resolved.recordPublisher).toBe('POLLING');
  });

  it('carries every source setting fromKinesis has', () => {
    const { config } = sourceConfigFromFlinkOptions({
      ...BASE,
      'aws.endpoint': 'http://127.0.0.1:4567',
      'aws.credentials.provider': 'PROFILE',
      'aws.credentials.profile.name': 'dev',
      'scan.stream.initpos': 'AT_TIMESTAMP',
      'scan.stream.initpos-timestamp': '2016-04-04T19:58:46.480-00:00',
      'scan.shard.discovery.intervalmillis': '30000',
      'scan.shard.getrecords.maxrecordcount': '100',
      'scan.shard.getrecords.intervalmillis': '1000',
      'scan.shard.adaptivereads': 'true',
      'scan.shard.getrecords.maxretries': '9',
      'scan.shard.getiterator.backoff.base': '50',
      'scan.list.shards.backoff.expconst': '2',
      'scan.stream.recordpublisher': 'EFO',
      'scan.stream.efo.consumername': 'app',
      'scan.stream.registerstreamconsumer.timeout': '60',
    });
    const resolved = resolveSourceConfig(config);
    expect(resolved.client).toEqual({
      region: 'us-east-2',
      endpoint: 'http://127.0.0.1:4567',
      credentials: { type: 'PROFILE', name: 'dev' },
    });
    expect(resolved.initialPosition).toEqual({
      type: 'AT_TIMESTAMP',
      timestamp: new Date('2016-04-04T19:58:46.480Z'),
    });
    expect(resolved.discovery.intervalMs).toBe(30_000);
    expect(resolved.discovery.backoff.expConst).toBe(2);
    expect(resolved.polling.maxRecords).toBe(100);
    expect(resolved.polling.intervalMs).toBe(1000);
    expect(resolved.polling.adaptive).toBe(true);
    expect(resolved.polling.backoff.getRecords.maxRetries).toBe(9);
    expect(resolved.polling.backoff.getShardIterator.base).toBe(50);
    expect(resolved.recordPublisher).toBe('EFO');
    expect(resolved.efo).toMatchObject({
      consumerName: 'app',
      registration: 'LAZY',
      registerTimeoutMs: 60_000,
      backoff: {
        subscribeToShard: DEFAULT_BACKOFF.subscribeToShard,
        describeStream: DEFAULT_BACKOFF.describeStream,
      },
    });
  });

  it('warns about Flink keys that have no effect here', () => {
    const seen: string[] = [];
    const { warnings } = sourceConfigFromFlinkOptions(
      {
        ...BASE,
        'scan.shard.idle.interval': '1000',
        'scan.stream.describe.maxretries': '3',
        // honoured now (polling.adaptive): no warning
        'scan.shard.adaptivereads': 'true',
      },
      { onWarning: (w) => seen.push(w.key) },
    );
    expect(warnings.map((w) => w.key)).toEqual([
      'scan.shard.idle.interval',
      'scan.stream.describe.maxretries',
    ]);
    expect(seen).toEqual(warnings.map((w) => w.key));
    expect(warnings[0]?.message).toContain('idleShards');
  });
});

describe('sinkConfigFromFlinkOptions', () => {
  it('gives a config toKinesis accepts, with Flink defaults', () => {
    const resolved = resolveSinkConfig(sinkConfigFromFlinkOptions(BASE).config);
    expect(resolved).toMatchObject({
      stream: 'user_behavior',
      client: { region: 'us-east-2' },
      partitioner: 'random',
      batchMaxSize: 500,
      flushBufferSize: 5 * 1024 * 1024,
      flushBufferTimeoutMs: 5000,
      maxInflight: 16,
      maxBuffered: 10_000,
      failOnError: false,
      aggregation: undefined,
    });
  });

  it('carries every sink setting', () => {
    const { config, warnings } = sinkConfigFromFlinkOptions({
      ...BASE,
      'sink.partitioner': 'fixed',
      'sink.batch.max-size': '100',
      'sink.flush-buffer.size': '1000',
      'sink.flush-buffer.timeout': '10',
      'sink.requests.max-inflight': '2',
      'sink.requests.max-buffered': '50',
      'sink.fail-on-error': 'true',
      'sink.http-client.read-timeout': '5',
      'sink.producer.aggregation-enabled': 'true',
    });
    expect(resolveSinkConfig(config)).toMatchObject({
      partitioner: 'fixed',
      batchMaxSize: 100,
      flushBufferSize: 1000,
      flushBufferTimeoutMs: 10,
      maxInflight: 2,
      maxBuffered: 50,
      failOnError: true,
      aggregation: { maxCount: 4_294_967_295, maxSize: 51_200 },
    });
    // keys warned about while read by their rows come before the cross-key rules' warnings
    expect(warnings.map((w) => w.key)).toEqual([
      'sink.http-client.read-timeout',
      'sink.producer.aggregation-enabled',
    ]);
  });

  it('PARTITIONED BY becomes partitionBy with the field delimiter', () => {
    const { config } = sinkConfigFromFlinkOptions(
      { ...BASE, 'sink.partitioner-field-delimiter': '' },
      { partitionedBy: ['user_id', 'item_id'] },
    );
    expect(resolveSinkConfig(config)).toMatchObject({
      partitionBy: ['user_id', 'item_id'],
      partitionerFieldDelimiter: '',
    });
  });
});

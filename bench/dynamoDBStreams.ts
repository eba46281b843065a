// DynamoDB Streams source, CPU per record: fromDynamoDBStreams over the in-memory DynamoDB Streams
// (virtual time, so only our CPU counts: discovery, the adapter port, pollShard, the records builder,
// unmarshalling) against a baseline measured in the same run: a hand-written loop that unmarshalls the
// same raw records into the same plain objects, per GetRecords response, as code calling the SDK
// directly would.
import type { _Record as StreamsRecord } from '@aws-sdk/client-dynamodb-streams';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { VirtualTimeScheduler, take } from 'rxjs';
import { fromDynamoDBStreams } from '../src/dynamodbstreams/fromDynamoDBStreams.js';
import { FakeDynamoDBStreams } from '../test/dynamodbstreams/FakeDynamoDBStreams.js';

const RECORDS = 100_000;
const ROUNDS = 5;

function filled(scheduler: VirtualTimeScheduler): { fake: FakeDynamoDBStreams; arn: string } {
  const fake = new FakeDynamoDBStreams(scheduler);
  const arn = fake.createStream('bench');
  const shardId = ((
    fake as unknown as { streams: Map<string, Array<{ shardId: string }>> }
  ).streams.get(arn) ?? [])[0]?.shardId as string;
  for (let i = 0; i < RECORDS; i++) {
    fake.change(
      arn,
      shardId,
      'MODIFY',
      { pk: `item-${i % 5000}`, sk: i },
      {
        newImage: {
          pk: `item-${i % 5000}`,
          sk: i,
          status: 'SHIPPED',
          total: 129.5,
          tags: ['a', 'b'],
        },
        oldImage: { pk: `item-${i % 5000}`, sk: i, status: 'PAID', total: 129.5, tags: ['a'] },
      },
    );
  }
  return { fake, arn };
}

function rawsOf(fake: FakeDynamoDBStreams, arn: string): StreamsRecord[] {
  const shards = (fake as unknown as { streams: Map<string, Array<{ records: StreamsRecord[] }>> })
    .streams;
  return shards.get(arn)?.[0]?.records ?? [];
}

function cpuMs(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function benchDynamoDBStreams(): Promise<void> {
  const scheduler = new VirtualTimeScheduler();
  const { fake, arn } = filled(scheduler);
  const raws = rawsOf(fake, arn);
  // per GetRecords response (1,000 records), the records as plain objects, then handled one by one
  const baseline = (): void => {
    let n = 0;
    for (let from = 0; from < raws.length; from += 1000) {
      const batch = raws.slice(from, from + 1000).map((raw) => {
        const change = raw.dynamodb;
        return {
          stream: arn,
          sequenceNumber: change?.SequenceNumber,
          eventName: raw.eventName,
          keys: unmarshall(change?.Keys as never),
          newImage: unmarshall(change?.NewImage as never),
          oldImage: unmarshall(change?.OldImage as never),
          approximateCreationDateTime: change?.ApproximateCreationDateTime,
        };
      });
      for (const record of batch) if (record.keys !== undefined) n += 1;
    }
    if (n !== RECORDS) throw new Error(`baseline built ${n} records`);
  };
  const pipeline = (): void => {
    let n = 0;
    const sub = fromDynamoDBStreams(
      { streamArn: arn, client: fake, initialPosition: 'TRIM_HORIZON' },
      scheduler,
    )
      .pipe(take(RECORDS))
      .subscribe(() => (n += 1));
    scheduler.flush();
    sub.unsubscribe();
    if (n !== RECORDS) throw new Error(`fromDynamoDBStreams emitted ${n} records`);
  };
  baseline();
  pipeline(); // warm-up
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const base = cpuMs(baseline);
    const ours = cpuMs(pipeline);
    ratios.push(ours / base);
    console.log(
      `round ${round + 1}: SDK loop ${((base * 1000) / RECORDS).toFixed(2)} µs/record, ` +
        `fromDynamoDBStreams ${((ours * 1000) / RECORDS).toFixed(2)} µs/record, ratio ${(ours / base).toFixed(2)}`,
    );
  }
  ratios.sort((a, b) => a - b);
  console.log(
    `fromDynamoDBStreams CPU per record / SDK loop: median ${ratios[Math.floor(ROUNDS / 2)]?.toFixed(2)} ` +
      `(${RECORDS} MODIFY records with both images, ${ROUNDS} rounds)`,
  );
  await Promise.resolve();
}

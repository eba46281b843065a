import {
  CreateStreamCommand,
  type KinesisClient,
  waitUntilStreamExists,
} from '@aws-sdk/client-kinesis';
import { sourceConfigFromFlinkOptions } from '../../config/sourceConfigFromFlinkOptions.js';
import { cliClient } from './cliClient.js';
import { CONNECTION_HELP, CONNECTION_OPTIONS, flinkOptionsOf } from './connectionOptions.js';
import { parseCommandArgs } from './parseCommandArgs.js';
import { UsageError } from './UsageError.js';

export const CREATE_STREAM_HELP = `Usage: rx-kinesis create-stream <stream> [options]

Creates a stream (provisioned, with --shards shards) and waits until it is ACTIVE.

Options:
  --shards <n>                number of shards (default 1)
${CONNECTION_HELP}`;

/** `rx-kinesis create-stream`. */
export async function createStream(args: string[], out: NodeJS.WritableStream): Promise<void> {
  const { values, positionals } = parseCommandArgs('create-stream', args, {
    ...CONNECTION_OPTIONS,
    shards: { type: 'string' },
  });
  if (values.help === true) {
    out.write(`${CREATE_STREAM_HELP}\n`);
    return;
  }
  const [stream, ...extra] = positionals;
  if (stream === undefined)
    throw new UsageError('create-stream needs a stream name', 'create-stream');
  if (extra.length > 0)
    throw new UsageError(
      `create-stream takes one stream, got also ${extra.join(' ')}`,
      'create-stream',
    );
  const shards = values.shards ?? '1';
  if (!/^[1-9]\d*$/.test(shards))
    throw new UsageError(`--shards expects a positive integer, got "${shards}"`, 'create-stream');
  const { config } = sourceConfigFromFlinkOptions({
    ...flinkOptionsOf(values, 'create-stream'),
    stream,
  });
  const client = cliClient(config, process.stderr);
  try {
    await client.port.send(
      new CreateStreamCommand({ StreamName: stream, ShardCount: Number(shards) }),
    );
    await waitUntilStreamExists(
      { client: client.port as KinesisClient, maxWaitTime: 120, minDelay: 1 },
      { StreamName: stream },
    );
    out.write(`created ${stream} (${shards} ${shards === '1' ? 'shard' : 'shards'})\n`);
  } finally {
    client.destroy();
  }
}

import type { KinesisPort } from './KinesisPort.js';

type CommandLike = { readonly input: Record<string, unknown> };

/**
 * A port that addresses the given streams by ARN: every command whose input
 * names one of them by `StreamName` is sent with `StreamARN` instead (and no
 * `StreamName`, as Kinesis wants one or the other). The operators keep
 * working with stream names (records, checkpoint keys, shard events name the
 * stream), while the requests reach the stream the user gave by ARN — also
 * in another account, where a name would not. Commands naming other streams,
 * or none (GetRecords, SubscribeToShard), pass through untouched.
 *
 * ## Example
 * ```ts
 * import { addressStreamsByArn, discoverShards } from 'rx-kinesis';
 * const byArn = addressStreamsByArn(client, {
 *   orders: 'arn:aws:kinesis:eu-west-1:123456789012:stream/orders',
 * });
 * discoverShards(byArn, ['orders']); // ListShards { StreamARN: 'arn:…:stream/orders' }
 * ```
 *
 * @param port the client to send through
 * @param arns stream name → stream ARN
 * @returns a port sending by ARN for those streams
 */
export function addressStreamsByArn(
  port: KinesisPort,
  arns: Readonly<Record<string, string>>,
): KinesisPort {
  const send = port.send as unknown as (command: object, ...rest: unknown[]) => unknown;
  return {
    send: ((command: CommandLike, ...rest: unknown[]) => {
      const name = command.input['StreamName'];
      const arn = typeof name === 'string' ? arns[name] : undefined;
      if (arn === undefined) return send.call(port, command, ...rest);
      const { StreamName: _name, ...input } = command.input;
      const Command = command.constructor as new (input: object) => CommandLike;
      return send.call(port, new Command({ ...input, StreamARN: arn }), ...rest);
    }) as unknown as KinesisPort['send'],
  };
}

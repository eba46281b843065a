/**
 * The Kinesis operation an AWS SDK command object stands for (`GetRecords`
 * for a `GetRecordsCommand`), read from the operation schema the SDK attaches
 * to every command (`[9, namespace, name, traits, input, output]`). Unlike
 * `constructor.name`, it survives minification. `undefined` when the command
 * carries no schema of that shape (an older or newer SDK): the fetch client
 * then hands the command to the full SDK client.
 *
 * ## Example
 * ```ts
 * import { GetRecordsCommand } from '@aws-sdk/client-kinesis';
 * kinesisOperationOf(new GetRecordsCommand({ ShardIterator: 'i' })); // 'GetRecords'
 * ```
 */
export function kinesisOperationOf(command: unknown): string | undefined {
  if (typeof command !== 'object' || command === null) return undefined;
  const schema = (command as { schema?: unknown }).schema;
  if (!Array.isArray(schema) || schema[0] !== 9) return undefined;
  const name: unknown = schema[2];
  return typeof name === 'string' && /^[A-Z][A-Za-z]+$/.test(name) ? name : undefined;
}

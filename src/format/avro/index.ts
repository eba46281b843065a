// Entry `rx-kinesis/avro`: the Avro format (avsc needs Node built-ins, so it is not in the core barrel).
export { avroFormat } from './avroFormat.js';
export type { AvroSchema } from './avroFormat.js';

// Barrel of src/format: re-exports only. (Avro is its own entry, src/format/avro: avsc needs Node built-ins.)
export type { FieldProblem, RecordFormat, RowCodec } from './RecordFormat.js';
export { jsonFormat } from './jsonFormat.js';
export { csvFormat } from './csvFormat.js';
export type { CsvOptions } from './csvFormat.js';
export { rawFormat } from './rawFormat.js';
export type { RawOptions } from './rawFormat.js';
export { columnsOfCodec } from './columnsOfCodec.js';
export type { CodecColumn, ColumnKind } from './columnsOfCodec.js';
export { RecordDecodeError } from './RecordDecodeError.js';
export type { DeadLetter } from './RecordDecodeError.js';
export { decodeRecords } from './decodeRecords.js';
export type { DecodeRecordsOptions } from './decodeRecords.js';
export { RowEncodeError } from './RowEncodeError.js';

// Barrel of src/sink (and the KPL wire format in src/kpl): re-exports only.
export { AggregatedRecordBuilder } from '../kpl/AggregatedRecordBuilder.js';
export type { AggregatedEntry } from '../kpl/AggregatedRecordBuilder.js';
export { encodeAggregatedRecord } from '../kpl/encodeAggregatedRecord.js';
export { decodeAggregatedRecord } from '../kpl/decodeAggregatedRecord.js';
export type { AggregatedSubRecord } from '../kpl/decodeAggregatedRecord.js';
export { KPL_MAGIC, hasKplMagic } from '../kpl/aggregatedRecordFormat.js';
export { utf8Length } from '../kpl/utf8Length.js';

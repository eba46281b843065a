// Barrel of src/time: re-exports only.
export type { ShardActive, ShardIdle, ShardIdleness, TimedEvent, Watermark } from './Watermark.js';
export { arrivalTime, isRecord, isWatermark, recordTime } from './Watermark.js';
export { idleShards } from './idleShards.js';
export { watermarks } from './watermarks.js';
export type { WatermarkOptions } from './watermarks.js';
export { alignWatermarks } from './alignWatermarks.js';
export type { AlignmentOptions, WatermarkAlignment } from './alignWatermarks.js';

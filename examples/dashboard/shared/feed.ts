// What travels between the page and the backend: shop events into Kinesis, aggregates over SSE.

/** The behaviors a simulated shopper can show (the Taobao user-behavior data set's four). */
export const BEHAVIORS = ['pv', 'cart', 'fav', 'buy'] as const;
export type Behavior = (typeof BEHAVIORS)[number];

/** One shop event, as the page writes it to the events stream (JSON). */
export interface ShopEvent {
  readonly user_id: number;
  readonly item_id: number;
  readonly category_id: number;
  readonly behavior: Behavior;
  /** Event time, ms since the epoch. */
  readonly ts: number;
}

/** One closed event-time window's count for one behavior (also what goes to the counts stream). */
export interface WindowCountEvent {
  readonly type: 'window';
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly behavior: string;
  readonly count: number;
}

/** How far behind the latest record each shard of the backend's reader is. */
export interface LagEvent {
  readonly type: 'lag';
  /** shardId → millisBehindLatest of its latest fetch. */
  readonly shards: Readonly<Record<string, number>>;
  /** The backend's event-time watermark (ms since the epoch), or null before the first. */
  readonly watermark: number | null;
  /** Events that came after their window was closed (dropped from the counts). */
  readonly late: number;
}

/** One Server-Sent Event of the backend's feed (`event:` is `type`). */
export type FeedEvent = WindowCountEvent | LagEvent;

/** What the page server hands the page at `/config.json`. */
export interface PageConfig {
  /** Kinesis endpoint the page calls directly (the emulator; CORS is answered there). */
  readonly kinesisEndpoint: string;
  readonly region: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly eventsStream: string;
  /** The backend's SSE feed URL. */
  readonly feedUrl: string;
  readonly windowMs: number;
}

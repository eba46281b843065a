import type { SinkAck, SinkEntry } from './SinkInput.js';

/**
 * The records a sink has accepted and Kinesis has not yet acknowledged, in
 * input order. Acknowledgements are released in that order (a record's ack
 * waits for every earlier record's), so a checkpoint built from them never
 * passes a record that is not yet stored. Its length is the sink's buffered
 * count; `onFull` hears when it reaches `maxBuffered` and when it drops below.
 */
export class AckQueue<T> {
  private items: Array<SinkEntry<T> | undefined> = [];
  private head = 0;
  private full = false;

  constructor(
    private readonly maxBuffered: number,
    private readonly onFull: (full: boolean) => void,
  ) {}

  /** Records accepted and not yet released. */
  get buffered(): number {
    return this.items.length - this.head;
  }

  /** True from the push that reached `maxBuffered` until a drain takes it below. */
  get isFull(): boolean {
    return this.full;
  }

  /** Accepts one record. */
  push(entry: SinkEntry<T>): void {
    this.items.push(entry);
    if (!this.full && this.items.length - this.head >= this.maxBuffered) {
      this.full = true;
      this.onFull(true);
    }
  }

  /** Releases the acknowledged (or rejected) records at the head, in order. */
  drain(emit: (ack: SinkAck<T>) => void): void {
    const items = this.items;
    while (this.head < items.length) {
      const item = items[this.head] as SinkEntry<T>;
      const ack = item.ack;
      if (ack === undefined && !item.rejected) break;
      items[this.head] = undefined;
      this.head += 1;
      // a rejected record (it expired) was handed to invalidRecords: no ack, but it no longer holds the others back
      if (ack !== undefined) emit(ack);
    }
    // compact now and then, not per record
    if (this.head > 4096 && this.head * 2 > items.length) {
      this.items = items.slice(this.head);
      this.head = 0;
    }
    if (this.full && this.items.length - this.head < this.maxBuffered) {
      this.full = false;
      this.onFull(false);
    }
  }
}

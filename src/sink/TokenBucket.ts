/**
 * A token bucket refilled continuously by the clock it is given (the
 * scheduler's `now()`): it holds at most `capacity` tokens and gains
 * `perSecond` a second. `take` spends tokens when there are enough; an
 * amount above the capacity is taken when the bucket is full (the level goes
 * below zero and the bucket refills from there), so nothing waits forever.
 *
 * ## Example
 * ```ts
 * import { TokenBucket } from 'rx-kinesis';
 * const bucket = new TokenBucket(100, 900, 0); // 100 tokens, 900 a second, full at time 0
 * bucket.take(100, 0); // true
 * bucket.waitFor(1, 0); // 2 (ms until one token is back)
 * ```
 */
export class TokenBucket {
  private level: number;
  private at: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    now: number,
  ) {
    this.level = capacity;
    this.at = now;
  }

  /** Tokens available at `now`. */
  available(now: number): number {
    if (now > this.at) {
      this.level = Math.min(this.capacity, this.level + ((now - this.at) * this.perSecond) / 1000);
      this.at = now;
    }
    return this.level;
  }

  /** Whether `amount` tokens can be taken at `now`. */
  has(amount: number, now: number): boolean {
    return this.available(now) >= Math.min(amount, this.capacity);
  }

  /** Takes `amount` tokens when `has(amount, now)`; returns whether it did. */
  take(amount: number, now: number): boolean {
    if (!this.has(amount, now)) return false;
    this.level -= amount;
    return true;
  }

  /** Milliseconds from `now` until `has(amount)` holds (0 when it does now). */
  waitFor(amount: number, now: number): number {
    const missing = Math.min(amount, this.capacity) - this.available(now);
    if (missing <= 0) return 0;
    return Math.ceil((missing * 1000) / this.perSecond);
  }
}

/**
 * A running total over the last `windowMs` of time, the window half-open
 * `(now − windowMs, now]`: amounts added at exactly `now − windowMs` have
 * left it. So five calls 200 ms apart fit a limit of 5 per second, and a
 * sixth within the same second does not. Times must not go backwards.
 */
export class SlidingWindow {
  private readonly times: number[] = [];
  private readonly amounts: number[] = [];
  private head = 0;
  private sum = 0;

  constructor(private readonly windowMs = 1000) {}

  /** The total of amounts added in `(now − windowMs, now]`. */
  total(now: number): number {
    this.expire(now);
    return this.sum;
  }

  add(now: number, amount: number): void {
    this.expire(now);
    this.times.push(now);
    this.amounts.push(amount);
    this.sum += amount;
  }

  private expire(now: number): void {
    const edge = now - this.windowMs;
    while (this.head < this.times.length && (this.times[this.head] as number) <= edge) {
      this.sum -= this.amounts[this.head] as number;
      this.head += 1;
    }
    // drop the expired prefix now and then, so a long run keeps no garbage
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.amounts.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * A thenable that settles synchronously: `then` runs its callback at once.
 * The fake answers with these so that `sendCommand` emits inside the same
 * virtual-time frame (RxJS `TestScheduler` does not virtualise Promises).
 * Awaiting one works as with any thenable.
 */
export class SyncAnswer<T> implements PromiseLike<T> {
  private constructor(
    private readonly ok: boolean,
    private readonly value: unknown,
  ) {}

  static resolve<T>(value: T): SyncAnswer<T> {
    return new SyncAnswer<T>(true, value);
  }

  static reject<T>(error: unknown): SyncAnswer<T> {
    return new SyncAnswer<T>(false, error);
  }

  then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): PromiseLike<A | B> {
    try {
      if (this.ok) {
        return onFulfilled
          ? Promise.resolve(onFulfilled(this.value as T))
          : Promise.resolve(this.value as A);
      }
      return onRejected ? Promise.resolve(onRejected(this.value)) : Promise.reject(this.value);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

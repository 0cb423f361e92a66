/**
 * Failed sign-ins, counted per address and username: after ten failures in five minutes, that pair
 * is refused until the window passes (a successful sign-in clears its count). Held in memory, per
 * process; bounded, oldest entries dropped first.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 5 * 60 * 1000,
    private readonly now: () => number = Date.now,
    private readonly capacity = 10_000,
  ) {}

  private recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Whether this pair may try now. */
  allowed(key: string): boolean {
    return this.recent(key).length < this.max;
  }

  failed(key: string): void {
    const list = this.recent(key);
    list.push(this.now());
    this.failures.delete(key);
    this.failures.set(key, list);
    if (this.failures.size > this.capacity) this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}

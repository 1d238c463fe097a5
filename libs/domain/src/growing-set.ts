/**
 * An immutable set of strings for folds that add to it one key at a time (a fund's defaults):
 * each version shares one growing map with the versions before it, so adding is O(1) and a fold
 * of n additions is O(n), not O(n^2). Only when an older version grows (a fold resumed from a
 * snapshot taking another branch) is its part of the map copied.
 */
export class GrowingSet {
  private constructor(
    /** Key -> the size of the set just before it was added. */
    private readonly order: Map<string, number>,
    readonly size: number,
  ) {}

  static empty(): GrowingSet {
    return new GrowingSet(new Map(), 0);
  }

  has(key: string): boolean {
    const at = this.order.get(key);
    return at !== undefined && at < this.size;
  }

  with(key: string): GrowingSet {
    if (this.has(key)) return this;
    let order = this.order;
    // Another version grew the shared map past this one: this branch gets its own copy.
    if (order.size !== this.size) order = new Map([...order].filter(([, at]) => at < this.size));
    order.set(key, this.size);
    return new GrowingSet(order, this.size + 1);
  }
}

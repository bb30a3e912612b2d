// A bounded memo for work that depends on a text alone: applications send the same queries and
// headers again and again, and the work of checking them (analysis, hashing, negotiation, a
// store-side rewrite) should be done once per distinct text, not once per request. Answers are
// never kept here: only what follows from the text.

export class RecentlyUsed<V> {
  readonly #entries = new Map<string, V>();
  readonly #capacity: number;
  readonly #maxKeyLength: number;

  /** Keys longer than `maxKeyLength` are computed each time: a thousand long texts would hold too much memory. */
  constructor(capacity: number, maxKeyLength = 16_384) {
    this.#capacity = capacity;
    this.#maxKeyLength = maxKeyLength;
  }

  /** The value remembered for `key`, or `compute()` remembered (the least recently used one forgotten past the capacity). */
  get(key: string, compute: () => V): V {
    if (key.length > this.#maxKeyLength) return compute();
    const known = this.#entries.get(key);
    if (known !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
      this.#entries.delete(key);
      this.#entries.set(key, known);
      return known;
    }
    const value = compute();
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) this.#entries.delete(this.#entries.keys().next().value!);
    return value;
  }
}

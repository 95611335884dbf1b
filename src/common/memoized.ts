/**
 * Memoizes a one-argument function whose arguments recur a lot (dates and timestamps of an account).
 * The cache is emptied once it holds `max` entries, so memory stays bounded however long it runs.
 */
export function memoized<K, T>(fn: (k: K) => T, max = 20000): (k: K) => T {
  const cache = new Map<K, T>();
  return (k) => {
    if (cache.has(k)) return cache.get(k)!;
    if (cache.size >= max) cache.clear();
    const out = fn(k);
    cache.set(k, out);
    return out;
  };
}

/** "Did you mean…": ranks candidates by edit distance, with a bonus for containing the query. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** Candidates closest to any of the queries, best first; only plausible ones (relative distance < 0.5 or a substring). */
export function closest(queries: readonly string[], candidates: readonly string[], limit = 3): string[] {
  const wanted = queries.map((q) => q.trim().toLowerCase()).filter((q) => q !== '').map((q) => q.slice(0, 100));
  const scored: { candidate: string; score: number }[] = [];
  for (const candidate of candidates) {
    const key = candidate.toLowerCase();
    let best = Infinity;
    for (const query of wanted) {
      const contains = key.includes(query) || query.includes(key);
      const score = editDistance(query, key.slice(0, 100)) / Math.max(query.length, key.length, 1) - (contains ? 0.5 : 0);
      best = Math.min(best, score);
    }
    if (best < 0.5) scored.push({ candidate, score: best });
  }
  return scored.sort((a, b) => a.score - b.score || (a.candidate < b.candidate ? -1 : 1)).slice(0, limit).map((s) => s.candidate);
}

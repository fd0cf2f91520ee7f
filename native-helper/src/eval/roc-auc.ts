/**
 * Area under the ROC curve of `scores` for telling `positive` pixels from the rest: the probability
 * that a random positive scores above a random negative, ties counting one half. Computed as the
 * Mann–Whitney U statistic from ranks, tied scores sharing their average rank.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<boolean>): number {
  const n = scores.length;
  if (positive.length !== n) throw new Error(`${n} scores but ${positive.length} labels`);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && scores[order[end]] === scores[order[start]]) end++;
    // Ranks start + 1 … end share their mean.
    const rank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (positive[order[i]]) {
        positives++;
        rankSum += rank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) throw new Error('the ROC AUC needs both positive and negative pixels');
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** One face under one degradation: its identity similarity to the clean face, degraded and after restoration at each strength. */
export interface IdentityCase {
  face: string;
  change: string;
  /** similarity(clean face, degraded face). */
  degraded: number;
  /** similarity(clean face, restored face), per restoration strength. */
  restored: ReadonlyMap<number, number>;
}

/** How the cases stand against the identity threshold, degraded and after restoration at one strength. */
export interface ThresholdCrossings {
  strength: number;
  cases: number;
  degradedBelow: number;
  restoredBelow: number;
  /** Above the threshold degraded, below it restored: restoration made the face look like someone else. */
  fellBelow: number;
  /** Below it degraded, above it restored: restoration brought the face back. */
  roseAbove: number;
  /** Restored closer to the clean face than the degraded copy was. */
  closer: number;
}

/** The cases counted against `threshold` at `strength` (cases restored at other strengths only are an error). */
export function thresholdCrossings(cases: readonly IdentityCase[], strength: number, threshold: number): ThresholdCrossings {
  const counts: ThresholdCrossings = { strength, cases: cases.length, degradedBelow: 0, restoredBelow: 0, fellBelow: 0, roseAbove: 0, closer: 0 };
  for (const c of cases) {
    const restored = c.restored.get(strength);
    if (restored === undefined) throw new Error(`${c.face}, ${c.change} was not restored at strength ${strength}`);
    const wasBelow = c.degraded < threshold;
    const isBelow = restored < threshold;
    if (wasBelow) counts.degradedBelow++;
    if (isBelow) counts.restoredBelow++;
    if (!wasBelow && isBelow) counts.fellBelow++;
    if (wasBelow && !isBelow) counts.roseAbove++;
    if (restored > c.degraded) counts.closer++;
  }
  return counts;
}

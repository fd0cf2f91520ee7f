import type { ModelInfo, RestoreRole } from '@mend/protocol';

/**
 * What each problem's model (MAXIM) costs: its npm package's download on first use, and seconds per 256×256
 * tile on 2 CPU cores. Measured on a 2-core machine: a 3-stage model (deblur, denoise) 14.4 s per 256² run,
 * idle; a 2-stage one 0.61 of a 3-stage one's time, run back to back (30.9 s against 50.6 s, under load).
 */
const COST: Record<RestoreRole, { downloadMb: number; secondsPerTile: number }> = {
  deblur: { downloadMb: 117, secondsPerTile: 15 },
  'denoise-camera': { downloadMb: 117, secondsPerTile: 15 },
  lowlight: { downloadMb: 75, secondsPerTile: 9 },
  retouch: { downloadMb: 75, secondsPerTile: 9 },
  dehaze: { downloadMb: 75, secondsPerTile: 9 },
  derain: { downloadMb: 75, secondsPerTile: 9 },
};

/** Tiles of a 12-megapixel photo (4000×3000) at 192 px apart (256 less the 32 px overlap each side). */
const TILES_12MP = Math.ceil(4000 / 192) * Math.ceil(3000 / 192);

/** What running a problem's model will cost: the first run's download and preparation, and its time on a CPU. */
export function RestoreNotes({ role, models, onCpu }: { role: RestoreRole; models: readonly ModelInfo[]; onCpu: boolean }) {
  const model = models.find((m) => m.task === 'restore' && m.roles?.includes(role));
  const { downloadMb, secondsPerTile } = COST[role];
  const minutes12Mp = Math.round((TILES_12MP * secondsPerTile) / 60 / 10) * 10;
  return (
    <>
      {model?.status === 'available' && <sp-body size="S">The first run downloads this model (about {downloadMb} MB) and prepares it; later runs start at once.</sp-body>}
      {onCpu && (
        <sp-body size="S">
          Slow on a CPU: about {secondsPerTile} s per 256-pixel tile on 2 cores, some {minutes12Mp} minutes for a 12-megapixel photo. Select an area to try it on first.
        </sp-body>
      )}
    </>
  );
}

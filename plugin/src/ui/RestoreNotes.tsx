import type { ModelInfo, RestoreRole } from '@mend/protocol';

/**
 * What the heavy restore models (MAXIM) cost: the npm package downloaded on their first use, and seconds per
 * 256×256 tile on 2 CPU cores (`mend bench`, README "MAXIM"). A problem whose model is not listed (waifu2x, where
 * the eval chose it) runs in seconds and needs no note.
 */
const THREE_STAGE = { downloadMb: 84, secondsPerTile: 15 };
const TWO_STAGE = { downloadMb: 54, secondsPerTile: 9 };
const COST: Partial<Record<string, { downloadMb: number; secondsPerTile: number }>> = {
  'maxim-deblur': THREE_STAGE,
  'maxim-denoise': THREE_STAGE,
  'maxim-lowlight': TWO_STAGE,
  'maxim-retouch': TWO_STAGE,
  'maxim-dehaze-indoor': TWO_STAGE,
  'maxim-dehaze-outdoor': TWO_STAGE,
  'maxim-derain': TWO_STAGE,
};

/** Tiles of a 12-megapixel photo (4000×3000) at 192 px apart (256 less the 32 px overlap each side). */
const TILES_12MP = Math.ceil(4000 / 192) * Math.ceil(3000 / 192);

/** What running a problem's model will cost: the first run's download and preparation, and its time on a CPU. */
export function RestoreNotes({ role, models, onCpu }: { role: RestoreRole; models: readonly ModelInfo[]; onCpu: boolean }) {
  const model = models.find((m) => m.task === 'restore' && m.roles?.includes(role));
  const cost = model && COST[model.id];
  if (!cost) return null;
  const { downloadMb, secondsPerTile } = cost;
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

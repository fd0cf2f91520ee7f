import { useState } from 'react';
import type { BlendMode } from '../workflows/host';
import type { LayerSettings } from '../workflows/operations';
import { Picker, Slider } from './widgets';

const BLEND_MODES: ReadonlyArray<{ value: BlendMode; label: string }> = [
  { value: 'normal', label: 'Normal' },
  { value: 'luminosity', label: 'Luminosity (keep original colors)' },
];

/** How the result layer is blended and masked, folded away until asked for. */
export function LayerOptions({ settings, onChange }: { settings: LayerSettings; onChange(patch: Partial<LayerSettings>): void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      {/* UXP renders <details> as a plain div that never collapses: an explicit toggle instead. */}
      <div className="disclosure">
        <sp-action-button quiet aria-expanded={open} onClick={() => setOpen((wasOpen) => !wasOpen)}>
          {open ? '▾' : '▸'} Layer options
        </sp-action-button>
      </div>
      {open && (
        <div className="layer-options">
          <Slider label="Strength (opacity)" value={settings.opacity} min={0} max={100} unit=" %" onSlide={(opacity) => onChange({ opacity })} />
          <Picker<BlendMode> label="Blend mode" value={settings.blendMode} options={BLEND_MODES} onPick={(blendMode) => onChange({ blendMode })} />
          <Slider label="Grain" value={Math.round(settings.grain * 100)} min={0} max={100} unit=" %" onSlide={(g) => onChange({ grain: g / 100 })} />
          <Slider label="Grow selection" value={settings.grow} min={0} max={32} unit=" px" onSlide={(grow) => onChange({ grow })} />
          <Slider label="Feather" value={Math.round(settings.feather * 100)} min={0} max={50} unit=" %" onSlide={(f) => onChange({ feather: f / 100 })} />
        </div>
      )}
    </>
  );
}

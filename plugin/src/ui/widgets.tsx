import { useDomEvent } from './use-dom-event';

/**
 * A labelled Spectrum picker; `onPick` gets the chosen item's value. UXP's picker reports the choice as
 * `selectedIndex` on its `change` event and documents no `value`
 * (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-spectrum/spectrum-uxp-widgets/user-interface/sp-dropdown/),
 * so the index is mapped back to the option; the shown choice is the item marked `selected`.
 */
export function Picker<T extends string>(props: { label: string; value: T; options: ReadonlyArray<{ value: T; label: string }>; onPick(value: T): void; disabled?: boolean }) {
  const ref = useDomEvent<HTMLElement>('change', (target) => {
    const picked = target.selectedIndex === undefined ? undefined : props.options[target.selectedIndex];
    if (picked) props.onPick(picked.value);
  });
  return (
    <div className="field">
      <sp-label>{props.label}</sp-label>
      <sp-picker ref={ref} size="m" label={props.label} disabled={props.disabled ? true : undefined} aria-label={props.label}>
        <sp-menu slot="options">
          {props.options.map((o) => (
            <sp-menu-item key={o.value} selected={o.value === props.value ? true : undefined}>
              {o.label}
            </sp-menu-item>
          ))}
        </sp-menu>
      </sp-picker>
    </div>
  );
}

export function Slider(props: { label: string; value: number; min: number; max: number; step?: number; unit?: string; onSlide(value: number): void }) {
  const ref = useDomEvent<HTMLElement>('input', (target) => props.onSlide(Number(target.value)));
  return (
    <div className="field">
      <sp-slider ref={ref} min={props.min} max={props.max} step={props.step ?? 1} value={props.value} aria-label={props.label}>
        <sp-label slot="label">
          {props.label}: {props.value}
          {props.unit ?? ''}
        </sp-label>
      </sp-slider>
    </div>
  );
}

export function Checkbox(props: { label: string; checked: boolean; onToggle(checked: boolean): void }) {
  const ref = useDomEvent<HTMLElement>('change', (target) => props.onToggle(Boolean(target.checked)));
  return (
    <sp-checkbox ref={ref} checked={props.checked ? true : undefined} aria-label={props.label}>
      {props.label}
    </sp-checkbox>
  );
}

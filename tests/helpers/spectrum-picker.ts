/**
 * UXP's `sp-picker` as the panel meets it in Photoshop: the user's choice is `selectedIndex` (the chosen
 * `sp-menu-item`'s index in the picker's menu), read on `change`; there is no `value` property
 * (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-spectrum/spectrum-uxp-widgets/user-interface/sp-dropdown/).
 * jsdom knows no `sp-picker`, and a test that set an ad-hoc `value` would let a panel reading `value` pass.
 */
import { fireEvent, screen } from '@testing-library/dom';

function menuItems(picker: Element): Element[] {
  return Array.from(picker.querySelectorAll('sp-menu-item'));
}

/** The shown choice is the item marked `selected`, as the panel renders it; choosing moves the mark. */
function definePicker(): CustomElementConstructor {
  return class UxpPicker extends HTMLElement {
    get selectedIndex(): number {
      return menuItems(this).findIndex((item) => item.hasAttribute('selected'));
    }

    set selectedIndex(index: number) {
      menuItems(this).forEach((item, i) => (i === index ? item.setAttribute('selected', '') : item.removeAttribute('selected')));
    }
  };
}

/** Registers the picker in this test's window; call before the panel renders. */
export function defineSpectrumPicker(): void {
  if (!customElements.get('sp-picker')) customElements.define('sp-picker', definePicker());
}

/** Chooses the item shown as `itemLabel` in `picker` as a user does: the index changes, then `change` fires. */
export function chooseInPicker(picker: HTMLElement, itemLabel: string): void {
  const items = menuItems(picker);
  const index = items.findIndex((item) => item.textContent?.trim() === itemLabel);
  if (index < 0) throw new Error(`The picker offers no "${itemLabel}", only: ${items.map((item) => `"${item.textContent?.trim()}"`).join(', ')}`);
  (picker as HTMLElement & { selectedIndex: number }).selectedIndex = index;
  fireEvent(picker, new Event('change', { bubbles: true }));
}

/** Finds the picker labelled `label` (waiting for it to render) and chooses `itemLabel` in it. */
export async function pick(label: string, itemLabel: string): Promise<void> {
  chooseInPicker((await screen.findByLabelText(label, { selector: 'sp-picker' })) as HTMLElement, itemLabel);
}

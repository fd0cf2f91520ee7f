/** The panel's flyout menu: what it offers, and how a chosen item reaches the React tree. */
export const PANEL_MENU_ITEMS = [{ id: 'run-self-test', label: 'Run self-test' }] as const;

export type PanelMenuItemId = (typeof PANEL_MENU_ITEMS)[number]['id'];

/** What the panel subscribes to: the ids of flyout items the user chose. */
export interface PanelMenu {
  /** Returns the unsubscribe. */
  onChoose(listener: (id: PanelMenuItemId) => void): () => void;
}

/**
 * UXP calls `invokeMenu` from outside React; `choose` forwards the id to the panel. An item chosen before
 * the panel has subscribed (it mounts asynchronously) is kept and delivered when it does.
 */
export function createPanelMenu(): PanelMenu & { choose(id: string): void } {
  let listener: ((id: PanelMenuItemId) => void) | undefined;
  let pending: PanelMenuItemId | undefined;
  const known = (id: string): id is PanelMenuItemId => PANEL_MENU_ITEMS.some((item) => item.id === id);
  return {
    choose(id) {
      if (!known(id)) throw new Error(`The Mend panel has no menu item "${id}".`);
      if (listener) listener(id);
      else pending = id;
    },
    onChoose(next) {
      listener = next;
      if (pending !== undefined) {
        const id = pending;
        pending = undefined;
        next(id);
      }
      return () => {
        if (listener === next) listener = undefined;
      };
    },
  };
}

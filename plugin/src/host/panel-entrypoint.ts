import { entrypoints } from 'uxp';

/** An item of the panel's flyout menu (the ☰ button at the panel's top right). */
export interface PanelMenuItem {
  id: string;
  label: string;
}

declare module 'uxp' {
  interface PanelLifecycle {
    /** Called once with the panel's root node; the UI mounts into it. */
    create?(rootNode: HTMLElement): void | Promise<void>;
    show?(rootNode: HTMLElement): void | Promise<void>;
    hide?(rootNode: HTMLElement): void | Promise<void>;
    destroy?(rootNode: HTMLElement): void | Promise<void>;
    menuItems?: readonly PanelMenuItem[];
    /** Called with the id of the flyout menu item the user chose. */
    invokeMenu?(id: string): void | Promise<void>;
  }
  export const entrypoints: {
    setup(definition: { panels: Record<string, PanelLifecycle> }): void;
  };
}

/**
 * Registers the manifest's panel entry point: UXP calls `create` once with the panel's node, the panel
 * lives until Photoshop closes it. The flyout menu is declared here and not in manifest.json: the
 * manifest's entry point has no field for it, UXP takes `menuItems` and `invokeMenu` from
 * `entrypoints.setup` at run time
 * (https://developer.adobe.com/photoshop/uxp/2022/guides/uxp-guide/uxp-misc/flyout-menus/,
 * https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/modules/uxp/entry-points/entry-points/).
 */
export function registerPanel(id: string, panel: { mount(rootNode: HTMLElement): void; menuItems: readonly PanelMenuItem[]; onMenuItem(id: string): void }): void {
  entrypoints.setup({
    panels: {
      [id]: {
        create: (rootNode) => panel.mount(rootNode),
        menuItems: panel.menuItems,
        invokeMenu: (menuId) => panel.onMenuItem(menuId),
      },
    },
  });
}

import { entrypoints } from 'uxp';

declare module 'uxp' {
  interface PanelLifecycle {
    /** Called once with the panel's root node; the UI mounts into it. */
    create?(rootNode: HTMLElement): void | Promise<void>;
    show?(rootNode: HTMLElement): void | Promise<void>;
    hide?(rootNode: HTMLElement): void | Promise<void>;
    destroy?(rootNode: HTMLElement): void | Promise<void>;
  }
  export const entrypoints: {
    setup(definition: { panels: Record<string, PanelLifecycle> }): void;
  };
}

/**
 * Registers the manifest's panel entry point: UXP calls `create` once with the panel's node, the
 * panel lives until Photoshop closes it.
 */
export function registerPanel(id: string, mount: (rootNode: HTMLElement) => void): void {
  entrypoints.setup({ panels: { [id]: { create: mount } } });
}

import { useEffect, useRef, type RefObject } from 'react';

/** What Spectrum widgets carry on their change and input events (a picker: only `selectedIndex`). */
export interface WidgetTarget {
  value?: string | number;
  checked?: boolean;
  selectedIndex?: number;
}

/**
 * Listens to a DOM event on a custom element: React 18 does not wire `onChange` to Spectrum's
 * `change`/`input` events, so they are attached by hand. The latest handler is always used.
 */
export function useDomEvent<T extends HTMLElement>(type: 'change' | 'input', handler: (target: WidgetTarget) => void): RefObject<T> {
  const ref = useRef<T>(null);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const listener = (event: Event) => latest.current(event.target as unknown as WidgetTarget);
    element.addEventListener(type, listener);
    return () => element.removeEventListener(type, listener);
  }, [type]);
  return ref;
}

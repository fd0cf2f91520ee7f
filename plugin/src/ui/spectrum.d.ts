/**
 * Photoshop's built-in Spectrum UXP widgets, typed for TSX. They are custom elements: React passes
 * these props as attributes, and their events are read through refs (see use-dom-event.ts).
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';

type SpectrumProps = DetailedHTMLProps<HTMLAttributes<HTMLElement>, HTMLElement> & {
  disabled?: boolean;
  quiet?: boolean;
  size?: string;
  variant?: string;
  value?: string | number;
  label?: string;
  min?: number;
  max?: number;
  step?: number;
  checked?: boolean;
  selected?: boolean;
  placeholder?: string;
  slot?: string;
};

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'sp-action-button': SpectrumProps;
      'sp-body': SpectrumProps;
      'sp-button': SpectrumProps;
      'sp-checkbox': SpectrumProps;
      'sp-detail': SpectrumProps;
      'sp-divider': SpectrumProps;
      'sp-heading': SpectrumProps;
      'sp-label': SpectrumProps;
      'sp-menu': SpectrumProps;
      'sp-menu-item': SpectrumProps;
      'sp-picker': SpectrumProps;
      'sp-progressbar': SpectrumProps;
      'sp-radio': SpectrumProps;
      'sp-radio-group': SpectrumProps;
      'sp-slider': SpectrumProps;
      'sp-textfield': SpectrumProps;
    }
  }
}

import type * as Constants from 'photoshop/dom/Constants';

/**
 * Each fake enum must list every member of Photoshop's enum with exactly its value (`satisfies`), so a
 * change in @types/photoshop breaks the build instead of the tests quietly disagreeing with Photoshop.
 */
type ExactValues<E> = { [K in keyof E]: `${E[K] & string}` };

/** The values of a Photoshop string enum, as the fake stores them. */
export type Value<E> = `${E[keyof E] & string}`;

const LayerKind = {
  BLACKANDWHITE: 'blackAndWhite',
  BRIGHTNESSCONTRAST: 'brightnessContrast',
  CHANNELMIXER: 'channelMixer',
  COLORBALANCE: 'colorBalance',
  CURVES: 'curves',
  EXPOSURE: 'exposure',
  GRADIENTFILL: 'gradientFill',
  GRADIENTMAP: 'gradientMap',
  HUESATURATION: 'hueSaturation',
  INVERSION: 'inversion',
  LEVELS: 'levels',
  NORMAL: 'pixel',
  PATTERNFILL: 'pattern',
  PHOTOFILTER: 'photoFilter',
  POSTERIZE: 'posterize',
  SELECTIVECOLOR: 'selectiveColor',
  SMARTOBJECT: 'smartObject',
  SOLIDFILL: 'solidColor',
  TEXT: 'text',
  THRESHOLD: 'threshold',
  LAYER3D: 'threeD',
  VIBRANCE: 'vibrance',
  VIDEO: 'video',
  GROUP: 'group',
  COLORLOOKUP: 'colorLookup',
} as const satisfies ExactValues<typeof Constants.LayerKind>;

const DocumentMode = {
  BITMAP: 'bitmapMode',
  CMYK: 'CMYKColorMode',
  DUOTONE: 'duotoneMode',
  GRAYSCALE: 'grayscaleMode',
  INDEXEDCOLOR: 'indexedColorMode',
  LAB: 'labColorMode',
  MULTICHANNEL: 'multichannelMode',
  RGB: 'RGBColorMode',
} as const satisfies ExactValues<typeof Constants.DocumentMode>;

const BitsPerChannelType = {
  ONE: 'bitDepth1',
  EIGHT: 'bitDepth8',
  SIXTEEN: 'bitDepth16',
  THIRTYTWO: 'bitDepth32',
} as const satisfies ExactValues<typeof Constants.BitsPerChannelType>;

const BlendMode = {
  NORMAL: 'normal',
  DISSOLVE: 'dissolve',
  DARKEN: 'darken',
  MULTIPLY: 'multiply',
  COLORBURN: 'colorBurn',
  LINEARBURN: 'linearBurn',
  DARKERCOLOR: 'darkerColor',
  LIGHTEN: 'lighten',
  SCREEN: 'screen',
  COLORDODGE: 'colorDodge',
  LINEARDODGE: 'linearDodge',
  LIGHTERCOLOR: 'lighterColor',
  OVERLAY: 'overlay',
  SOFTLIGHT: 'softLight',
  HARDLIGHT: 'hardLight',
  VIVIDLIGHT: 'vividLight',
  LINEARLIGHT: 'linearLight',
  PINLIGHT: 'pinLight',
  HARDMIX: 'hardMix',
  DIFFERENCE: 'difference',
  EXCLUSION: 'exclusion',
  SUBTRACT: 'blendSubtraction',
  DIVIDE: 'blendDivide',
  HUE: 'hue',
  SATURATION: 'saturation',
  COLOR: 'color',
  LUMINOSITY: 'luminosity',
  PASSTHROUGH: 'passThrough',
} as const satisfies ExactValues<typeof Constants.BlendMode>;

const ElementPlacement = {
  PLACEBEFORE: 'placeBefore',
  PLACEATBEGINNING: 'placeAtBeginning',
  PLACEATEND: 'placeAtEnd',
  PLACEAFTER: 'placeAfter',
  PLACEINSIDE: 'placeInside',
} as const satisfies ExactValues<typeof Constants.ElementPlacement>;

const NewDocumentMode = {
  BITMAP: 'bitmapMode',
  GRAYSCALE: 'grayscaleMode',
  RGB: 'RGBColorMode',
  CMYK: 'CMYKColorMode',
  LAB: 'labColorMode',
} as const satisfies ExactValues<typeof Constants.NewDocumentMode>;

const DocumentFill = {
  WHITE: 'white',
  BLACK: 'black',
  BACKGROUNDCOLOR: 'backgroundColor',
  TRANSPARENT: 'transparent',
  COLOR: 'color',
} as const satisfies ExactValues<typeof Constants.DocumentFill>;

/** The enums Mend's host reads from `require('photoshop').constants`; any other member is absent at run time. */
export const fakeConstants = {
  LayerKind: LayerKind as unknown as typeof Constants.LayerKind,
  DocumentMode: DocumentMode as unknown as typeof Constants.DocumentMode,
  BitsPerChannelType: BitsPerChannelType as unknown as typeof Constants.BitsPerChannelType,
  BlendMode: BlendMode as unknown as typeof Constants.BlendMode,
  ElementPlacement: ElementPlacement as unknown as typeof Constants.ElementPlacement,
  NewDocumentMode: NewDocumentMode as unknown as typeof Constants.NewDocumentMode,
  DocumentFill: DocumentFill as unknown as typeof Constants.DocumentFill,
};

export type LayerKindValue = Value<typeof Constants.LayerKind>;
export type DocumentModeValue = Value<typeof Constants.DocumentMode>;
export type BlendModeValue = Value<typeof Constants.BlendMode>;
export type ElementPlacementValue = Value<typeof Constants.ElementPlacement>;

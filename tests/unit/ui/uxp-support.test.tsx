/**
 * @jest-environment jsdom
 *
 * UXP is not a browser: it renders a subset of HTML and CSS, and what it lacks fails silently (an unknown
 * element is a plain div, an unknown property is ignored). The lists below are Adobe's:
 * - CSS properties: https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-css/styles/
 *   (custom properties: https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-css/general/variables/;
 *   `display` values: https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-css/styles/display/)
 * - pseudo-classes and pseudo-elements: https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-css/pseudo-classes/,
 *   https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-css/pseudo-elements/
 * - elements: "Only elements found in the surrounding documentation are supported. Unsupported elements such as
 *   <li>, <ul>, etc., are treated as simple <div>s", and <title> "may make itself visible inside your plugin"
 *   (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-html/general/unsupported-elements/); the
 *   documented ones are the HTML reference's (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-html/),
 *   the HTML Elements reference's (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-js/global-members/html-elements/)
 *   less HTML5 canvas (https://developer.adobe.com/photoshop/uxp/2022/guides/uxp-guide/unsupported/), and the
 *   Spectrum UXP widgets (https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-spectrum/spectrum-uxp-widgets/,
 *   sp-picker: https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-spectrum/spectrum-to-swc-mapping/).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { Panel } from '../../../plugin/src/ui/Panel';
import { runCompare } from '../../../plugin/src/workflows/compare';
import { findFaces } from '../../../plugin/src/workflows/faces';
import { runOperation } from '../../../plugin/src/workflows/run-operation';
import { defineSpectrumPicker, pick } from '../../helpers/spectrum-picker';
import { fakeHelper, fakeHost, INFO, memoryTokens, panelServices, PASSING_REPORT, RESULT_BOUNDS, RESULT_LAYER } from './panel-services';

jest.mock('../../../plugin/src/workflows/run-operation', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/run-operation'),
  runOperation: jest.fn(),
}));
jest.mock('../../../plugin/src/workflows/compare', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/compare'),
  runCompare: jest.fn(),
}));
jest.mock('../../../plugin/src/workflows/faces', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/faces'),
  findFaces: jest.fn(async () => [{ box: { x: 1, y: 2, width: 30, height: 34 }, score: 0.9, thumbnail: { width: 1, height: 1, data: new Uint8Array(3) } }]),
}));
const findFacesMock = findFaces as jest.MockedFunction<typeof findFaces>;
const runOperationMock = runOperation as jest.MockedFunction<typeof runOperation>;
const runCompareMock = runCompare as jest.MockedFunction<typeof runCompare>;

const CSS_PROPERTIES = new Set(
  `align-content align-items align-self background-attachment background-color background-image background-repeat background-size
  background border-bottom-color border-bottom-left-radius border-bottom-right-radius border-bottom-style border-bottom-width
  border-bottom border-color border-left-color border-left-style border-left-width border-left border-radius border-right-color
  border-right-style border-right-width border-right border-style border-top-color border-top-left-radius border-top-style
  border-top-width border-top border-width bottom color display flex-basis flex-direction flex-grow flex-shrink flex-wrap flex
  font-family font-size font-style font-weight height justify-content left letter-spacing margin-bottom margin-left margin-right
  margin-top margin max-height max-width min-height min-width opacity overflow-x overflow-y overflow padding-bottom padding-left
  padding-right padding-top padding right text-align text-overflow top visibility white-space width`.split(/\s+/),
);
const DISPLAY_VALUES = new Set(['none', 'inline', 'block', 'inline-block', 'flex', 'inline-flex']);
const PSEUDO_CLASSES = new Set(
  'active checked defined disabled empty enabled first-child focus hover last-child nth-child nth-last-child nth-last-of-type nth-of-type only-child root'.split(' '),
);
const PSEUDO_ELEMENTS = new Set(['before', 'after']);

const ELEMENTS = new Set([
  // The HTML reference's pages (body, head, html, link, script, style; footer, h1–h6, hr); its footer example wraps a <form>.
  ...'html head body link script style footer h1 h2 h3 h4 h5 h6 hr form'.split(' '),
  // The HTML Elements reference, canvas left out.
  ...'a button dialog img input label menu menuitem option progress select slot template textarea video webview'.split(' '),
  // What every unsupported element becomes.
  'div',
  // Spectrum UXP widgets.
  ...'sp-body sp-detail sp-heading sp-label sp-action-button sp-button sp-checkbox sp-divider sp-dropdown sp-picker sp-icon sp-link sp-menu sp-menu-item sp-menu-divider sp-progressbar sp-radio sp-radio-group sp-slider sp-textarea sp-textfield'.split(
    ' ',
  ),
]);

interface Declaration {
  where: string;
  property: string;
  value: string;
}

function declarations(block: string, where: string): Declaration[] {
  return block
    .split(';')
    .map((text) => text.trim())
    .filter(Boolean)
    .map((text) => {
      const colon = text.indexOf(':');
      return { where, property: text.slice(0, colon).trim().toLowerCase(), value: text.slice(colon + 1).trim() };
    });
}

/** The rules of a style sheet without at-rules (index.html has none): selectors and declarations. */
function styleRules(css: string): Array<{ selector: string; declarations: Declaration[] }> {
  const withoutComments = css.replace(/\/\*[\s\S]*?\*\//g, '');
  if (withoutComments.includes('@')) throw new Error('at-rules are not parsed here: check them against the docs, then teach this test');
  return [...withoutComments.matchAll(/([^{}]+)\{([^{}]*)\}/g)].map(([, selector, block]) => ({ selector: selector.trim(), declarations: declarations(block, selector.trim()) }));
}

function unsupportedDeclarations(list: Declaration[]): string[] {
  return list.flatMap(({ where, property, value }) => {
    if (property.startsWith('--')) return [];
    if (!CSS_PROPERTIES.has(property)) return [`${where} { ${property}: ${value} }`];
    if (property === 'display' && !DISPLAY_VALUES.has(value)) return [`${where} { display: ${value} }`];
    return [];
  });
}

/** `::x` must be a documented pseudo-element; `:x` a pseudo-class (or the single-colon form of one). */
function unsupportedPseudos(selector: string): string[] {
  return [...selector.matchAll(/(::?)([a-z-]+)/g)]
    .filter(([, colons, name]) => (colons === '::' ? !PSEUDO_ELEMENTS.has(name) : !PSEUDO_CLASSES.has(name) && !PSEUDO_ELEMENTS.has(name)))
    .map(([text]) => `${selector}: ${text}`);
}

const INDEX_HTML = readFileSync(path.join(__dirname, '..', '..', '..', 'plugin', 'index.html'), 'utf8');

describe('what the panel asks of UXP', () => {
  const page = new DOMParser().parseFromString(INDEX_HTML, 'text/html');

  it('index.html uses only CSS properties, values and selectors UXP supports', () => {
    const rules = [...page.querySelectorAll('style')].flatMap((style) => styleRules(style.textContent ?? ''));
    expect(rules.length).toBeGreaterThan(0);
    expect(unsupportedDeclarations(rules.flatMap((rule) => rule.declarations))).toEqual([]);
    expect(rules.flatMap((rule) => unsupportedPseudos(rule.selector))).toEqual([]);
  });

  it('index.html has no <title> to show inside the panel, and its body only elements UXP supports', () => {
    expect(page.querySelector('title')).toBeNull();
    expect([...page.body.querySelectorAll('*')].map((element) => element.localName).filter((name) => !ELEMENTS.has(name))).toEqual([]);
  });

  it('the panel renders only elements and inline styles UXP supports, in every view', async () => {
    answerOperations();
    const seen = new Set<string>();
    const inlineStyles: Declaration[] = [];
    const look = () => {
      for (const element of document.body.querySelectorAll('*')) {
        seen.add(element.localName);
        const style = element.getAttribute('style');
        if (style) inlineStyles.push(...declarations(style, `<${element.localName} style>`));
      }
    };
    await tour(look);
    expect([...seen].filter((name) => !ELEMENTS.has(name)).sort()).toEqual([]);
    expect(unsupportedDeclarations(inlineStyles)).toEqual([]);
    // The tour did reach the views it is meant to check.
    expect([...seen]).toEqual(expect.arrayContaining(['sp-picker', 'sp-slider', 'sp-checkbox', 'sp-progressbar', 'sp-action-button', 'input']));
  });
});

/** Restore fails with details, Inpaint holds until cancelled (to show progress), Upscale succeeds. */
function answerOperations() {
  defineSpectrumPicker();
  runOperationMock.mockImplementation((_deps, request, callbacks) => {
    if (request.kind === 'restore') return Promise.reject(new HelperError('request_failed', 'The helper stopped answering.', 'TypeError: Failed to fetch'));
    if (request.kind === 'inpaint') {
      callbacks?.onStage?.('processing');
      callbacks?.onProgress?.({ done: 1, total: 2, stage: 'model' });
      return new Promise((_resolve, reject) => callbacks?.cancel?.onCancel(() => reject(new HelperError('cancelled', 'Cancelled.'))));
    }
    const inventedDetail = { ...RESULT_LAYER, layerId: RESULT_LAYER.layerId + 1 };
    return Promise.resolve({ layer: RESULT_LAYER, name: 'Upscale ×2 · realesr-animevideov3-x2', documentTitle: 'print ×2', bounds: RESULT_BOUNDS, inventedDetail });
  });
  runCompareMock.mockResolvedValue({
    documentTitle: 'print ×2',
    group: { ...RESULT_LAYER, layerId: 70 },
    variants: [0, 1].map((n) => ({ name: `realesr-animevideov3-x2 · detail ${n}`, layer: { ...RESULT_LAYER, layerId: 71 + n } })),
  });
}

/** Every view a user can reach: pairing, each operation, layer options, progress, an error, results, the self-test. */
async function tour(look: () => void) {
  const tokens = memoryTokens();
  const pairing = render(<Panel services={panelServices({ tokens, connect: () => fakeHelper({ paired: () => tokens.token !== undefined }) })} />);
  await screen.findByLabelText('Pairing code');
  look();
  pairing.unmount();

  // A model still to download, so that Restore shows its note on first use.
  const lowlight = { id: 'maxim-lowlight', task: 'restore', scale: 1, status: 'available' as const, roles: ['lowlight'] };
  const host = { ...fakeHost().host, pictureUrl: async () => 'data:image/jpeg;base64,AAAA' };
  const services = panelServices({
    host,
    connect: () => fakeHelper({ models: [...INFO.models, lowlight] }),
    runSelfTest: jest.fn(async (_deps, onCheck) => {
      onCheck({ name: 'write pixels (16-bit RGB)', passed: false, error: 'putPixels: the image data is 8-bit', ms: 4 });
      return { ...PASSING_REPORT, checks: [...PASSING_REPORT.checks, { name: 'write pixels (16-bit RGB)', passed: false, error: 'putPixels: the image data is 8-bit', ms: 4 }] };
    }),
  });
  render(<Panel services={services} />);
  await screen.findByText(/Connected/);
  fireEvent.click(screen.getByText(/Layer options/));
  await pick('Operation', 'Restore');
  await pick('Problem', 'Low light');
  await screen.findByText(/The first run downloads this model/);
  look();
  for (const operation of ['Upscale', 'Restore', 'Dust & scratches', 'Inpaint selection', 'Faces', 'Compare']) {
    await pick('Operation', operation);
    look();
  }
  for (const kind of ['Detail strengths', 'Restore models', 'Upscale models']) {
    await pick('Compare', kind);
    look();
  }
  await pick('Operation', 'Faces');
  fireEvent.click(screen.getByText('Find faces'));
  await screen.findByRole('group', { name: 'Faces found' });
  expect(findFacesMock).toHaveBeenCalled();
  look();
  await pick('Operation', 'Inpaint selection');
  fireEvent.click(screen.getByText('Run'));
  await screen.findByText(/1 of 2 tiles/);
  look();
  await act(async () => fireEvent.click(screen.getByText('Cancel')));
  await pick('Operation', 'Restore');
  fireEvent.click(screen.getByText('Run'));
  await screen.findByText('Details: TypeError: Failed to fetch');
  look();
  await pick('Operation', 'Upscale');
  fireEvent.click(screen.getByText('Run'));
  await screen.findByText('Mask out invented detail');
  look();
  await pick('Operation', 'Compare');
  await pick('Compare', 'Detail strengths');
  fireEvent.click(screen.getByText('Run'));
  await screen.findByText('Keep this');
  look();
  act(() => services.menu.choose('run-self-test'));
  await screen.findByText('1 passed, 1 failed');
  fireEvent.click(screen.getByText('Copy report'));
  await screen.findByText('Report copied to the clipboard.');
  look();
}

import type { UpscaleOptions } from '../../../native-helper/src/protocol';
import type { Host, KeepLayer, WrittenLayer } from '../../../plugin/src/workflows/host';
import { type CompareResult, keepVariant, nextVariant, runCompare, showVariant } from '../../../plugin/src/workflows/compare';
import { compareJobOptions, DEFAULT_LAYER_SETTINGS, type CompareRequest } from '../../../plugin/src/workflows/operations';
import { gather } from '../../helpers/banded-pixels';
import { recordingHost, rgb } from '../../helpers/recording-host';
import { standInHelper } from '../../helpers/stand-in-helper';

const base = { documentId: 1, documentTitle: 'print.tif', documentWidth: 40, documentHeight: 30, layerId: 7, layerName: 'Photo' };

/** Answers a compare with one variant per option, each a flat image of its index × 10, labelled as the helper does. */
function variantsHelper(factor: number) {
  return standInHelper((_image, layout, options) => {
    if (options.task !== 'compare') throw new Error('not a compare');
    return options.variants.map((variant, n) => {
      const size = { ...layout, width: layout.width * factor, height: layout.height * factor };
      const detail = variant.task === 'upscale' && variant.detail !== undefined ? ` · detail ${variant.detail}` : '';
      return {
        kind: 'variant' as const,
        label: `${variant.model ?? 'default'}${detail}`,
        layout: size,
        bytes: new Uint8Array(size.width * size.height * size.channels).fill(n * 10),
      };
    });
  });
}

describe('runCompare', () => {
  it('runs ONE job with every variant and writes each as a layer named by its label in a "Compare" group, the first shown, in one write', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(4, 3), at: { left: 8, top: 2 } });
    const { helper, options, layouts } = variantsHelper(2);
    const request: CompareRequest = {
      kind: 'compare',
      of: 'upscale',
      scale: 2,
      cleanFirst: false,
      output: 'resize-document',
      variants: [
        { model: 'realesrgan-x4plus', detail: 1 },
        { model: 'realesrgan-x4plus', detail: 1.5 },
        { model: 'realesrgan-x4fast', detail: 1 },
      ],
      ...DEFAULT_LAYER_SETTINGS,
    };
    const result = await runCompare({ host, helper }, request);

    expect(options).toHaveLength(1);
    expect(layouts).toHaveLength(1);
    const variants = (options[0] as { variants: UpscaleOptions[] }).variants;
    expect(variants.map((v) => [v.task, v.model, v.scale, v.detail])).toEqual([
      ['upscale', 'realesrgan-x4plus', 2, undefined],
      ['upscale', 'realesrgan-x4plus', 2, 1.5],
      ['upscale', 'realesrgan-x4fast', 2, undefined],
    ]);
    expect(writes.layer).toHaveLength(0);
    expect(writes.resize).toHaveLength(1);
    const [write] = writes.resize;
    expect(write).toMatchObject({ group: 'Compare', historyName: 'Mend Compare', name: 'realesrgan-x4plus', width: 80, height: 60, at: { left: 16, top: 4 } });
    expect(write.visible).toBe(true);
    expect(write.layersAbove?.map((layer) => [layer.name, layer.visible])).toEqual([
      ['realesrgan-x4plus · detail 1.5', false],
      ['realesrgan-x4fast', false],
    ]);
    expect((await gather(write.pixels)).data[0]).toBe(0);
    expect((await gather(write.layersAbove?.[1].pixels ?? write.pixels)).data[0]).toBe(20);
    expect(result).toEqual({
      documentTitle: 'print.tif',
      group: { documentId: 1, layerId: 98 },
      variants: [
        { name: 'realesrgan-x4plus', layer: { documentId: 1, layerId: 99 } },
        { name: 'realesrgan-x4plus · detail 1.5', layer: { documentId: 1, layerId: 100 } },
        { name: 'realesrgan-x4fast', layer: { documentId: 1, layerId: 101 } },
      ],
    });
  });

  it('compares restore models above the source, masked by the selection', async () => {
    const selection = { bounds: { left: 1, top: 1, right: 3, bottom: 3 }, data: new Uint8Array(4).fill(255) };
    const { host, writes } = recordingHost({ ...base, pixels: rgb(4, 4), at: { left: 0, top: 0 }, selection });
    const { helper, options } = variantsHelper(1);
    const request: CompareRequest = { kind: 'compare', of: 'restore', variants: [{ model: 'waifu2x-cunet-noise1' }, { model: 'waifu2x-cunet-noise2' }], ...DEFAULT_LAYER_SETTINGS };
    await runCompare({ host, helper }, request);
    expect(options[0]).toEqual({
      task: 'compare',
      variants: [
        { task: 'restore', model: 'waifu2x-cunet-noise1' },
        { task: 'restore', model: 'waifu2x-cunet-noise2' },
      ],
    });
    const [write] = writes.layer;
    expect(write).toMatchObject({ group: 'Compare', aboveLayerId: 7, name: 'waifu2x-cunet-noise1' });
    expect(write.mask).not.toBe('reveal-all');
    expect(write.layersAbove?.[0].mask).toBe(write.mask);
  });

  it('gives every variant the precision chosen, unless it is fp32', () => {
    const restore: CompareRequest = { kind: 'compare', of: 'restore', variants: [{ model: 'a' }, { model: 'b' }], precision: 'int8', ...DEFAULT_LAYER_SETTINGS };
    expect(compareJobOptions(restore).variants).toEqual([
      { task: 'restore', model: 'a', precision: 'int8' },
      { task: 'restore', model: 'b', precision: 'int8' },
    ]);
    const upscale: CompareRequest = {
      kind: 'compare',
      of: 'upscale',
      scale: 2,
      cleanFirst: false,
      output: 'new-document',
      precision: 'fp32',
      variants: [{ detail: 0 }, { detail: 1 }],
      ...DEFAULT_LAYER_SETTINGS,
    };
    expect(compareJobOptions(upscale).variants.map((v) => v.precision)).toEqual([undefined, undefined]);
    expect(compareJobOptions({ ...upscale, precision: 'int8' }).variants.map((v) => v.precision)).toEqual(['int8', 'int8']);
  });

  it('refuses an answer with another number of variants than asked for, and writes nothing', async () => {
    const { host, writes } = recordingHost({ ...base, pixels: rgb(4, 3), at: { left: 0, top: 0 } });
    const single = standInHelper((image, layout) => ({ layout, bytes: image.slice() }));
    const request: CompareRequest = { kind: 'compare', of: 'restore', variants: [{ model: 'a' }, { model: 'b' }], ...DEFAULT_LAYER_SETTINGS };
    await expect(runCompare({ host, helper: single.helper }, request)).rejects.toThrow(/answered 0 variants to a Compare of 2/);
    expect(writes.layer).toHaveLength(0);
  });
});

describe('A/B, Next and Keep', () => {
  const layer = (layerId: number): WrittenLayer => ({ documentId: 1, layerId });
  const compare: CompareResult = {
    documentTitle: 'print.tif',
    group: layer(10),
    variants: [
      { name: 'a', layer: layer(11) },
      { name: 'b', layer: layer(12) },
      { name: 'c', layer: layer(13) },
    ],
  };

  function visibilityHost() {
    const visible = new Map<number, boolean>([
      [11, true],
      [12, false],
      [13, false],
    ]);
    const kept: KeepLayer[] = [];
    const host = {
      setLayerVisible: async ({ layerId }: WrittenLayer, shown: boolean) => void visible.set(layerId, shown),
      keepLayer: async (keep: KeepLayer) => void kept.push(keep),
    } as Partial<Host> as Host;
    const shown = () => [...visible].filter(([, on]) => on).map(([id]) => id);
    return { host, shown, kept };
  }

  it('shows one variant and hides the others', async () => {
    const { host, shown } = visibilityHost();
    await showVariant(host, compare, 2);
    expect(shown()).toEqual([13]);
    await showVariant(host, compare, 0);
    expect(shown()).toEqual([11]);
  });

  it('Next cycles through the variants, back to the first', () => {
    expect([0, 1, 2].map((index) => nextVariant(compare, index))).toEqual([1, 2, 0]);
  });

  it('keeps the chosen variant and asks the host to delete the others and the group, in one step', async () => {
    const { host, kept } = visibilityHost();
    await keepVariant(host, compare, 1);
    expect(kept).toEqual([{ keep: layer(12), discard: [layer(11), layer(13)], group: layer(10), historyName: 'Mend Keep Variant' }]);
  });
});

import { isDeepStrictEqual } from 'node:util';
import type { ActionDescriptor, BatchPlayCommandOptions, photoshopAction } from 'photoshop/dom/CoreModules';
import { FakeError, locateLayer, state } from './model';

const MAKE_MASK = {
  _obj: 'make',
  new: { _class: 'channel' },
  at: { _ref: 'channel', _enum: 'channel', _value: 'mask' },
};

/** Layer > Layer Mask > Reveal All / Hide All: a user mask on the one selected pixel layer. */
function makeMask(descriptor: ActionDescriptor): boolean {
  const { using, ...rest } = descriptor;
  if (!isDeepStrictEqual(rest, MAKE_MASK)) return false;
  const fillValue = isDeepStrictEqual(using, { _enum: 'userMaskEnabled', _value: 'revealAll' })
    ? 255
    : isDeepStrictEqual(using, { _enum: 'userMaskEnabled', _value: 'hideAll' })
      ? 0
      : undefined;
  if (fillValue === undefined) return false;
  const document = state.document(undefined);
  if (document.activeLayerIds.length !== 1) throw new FakeError('make mask: the command is not available (select one layer)');
  const layer = locateLayer(document, document.activeLayerIds[0])?.layer;
  if (layer?.kind !== 'pixel' || layer.isBackground || layer.mask) throw new FakeError('make mask: the command is not available for this layer');
  layer.mask = new Uint8Array(document.width * document.height).fill(fillValue);
  state.recordChange(document, 'Add Layer Mask');
  return true;
}

/** Selecting one layer by id, as the Layers panel records it. Layer selection makes no history step. */
function selectLayer(descriptor: ActionDescriptor): boolean {
  const target: unknown = descriptor._target;
  const keys = Object.keys(descriptor).sort().join(',');
  if (descriptor._obj !== 'select' || keys !== '_obj,_target,makeVisible' || descriptor.makeVisible !== false) return false;
  if (!Array.isArray(target) || target.length !== 1) return false;
  const [reference] = target as unknown[];
  const { _ref, _id, ...others } = reference as Record<string, unknown>;
  if (_ref !== 'layer' || typeof _id !== 'number' || Object.keys(others).length > 0) return false;
  const document = state.document(undefined);
  if (!locateLayer(document, _id)) throw new FakeError(`select: no layer with id ${_id} in the active document`);
  document.activeLayerIds = [_id];
  return true;
}

async function batchPlay(commands: ActionDescriptor[], options?: BatchPlayCommandOptions): Promise<ActionDescriptor[]> {
  state.assertModal('batchPlay');
  if (options && Object.keys(options).length > 0) throw new FakeError(`fake batchPlay takes no options, got ${JSON.stringify(options)}`);
  return commands.map((descriptor) => {
    if (!makeMask(descriptor) && !selectLayer(descriptor)) throw new FakeError(`fake batchPlay does not know the descriptor ${JSON.stringify(descriptor)}`);
    return { _obj: descriptor._obj };
  });
}

export const fakeAction = { batchPlay } satisfies Pick<typeof photoshopAction, 'batchPlay'>;

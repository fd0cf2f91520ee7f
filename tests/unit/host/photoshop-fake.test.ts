import { action, app, core, imaging } from 'photoshop';
import { fakePhotoshop } from '../../fakes/photoshop/control';

/** The fake must refuse what Photoshop refuses, or the host tests would pass on code that fails in Photoshop. */

beforeEach(() => fakePhotoshop.reset());

function addPhoto(): ReturnType<typeof fakePhotoshop.addDocument> {
  return fakePhotoshop.addDocument({ width: 4, height: 4, layers: [{ name: 'Photo', active: true, pixels: { left: 1, top: 1, width: 1, height: 1, data: [1, 2, 3, 255] } }] });
}

it('refuses changes and pixel access outside a modal scope', async () => {
  const document = addPhoto();
  expect(() => {
    app.activeDocument.layers[0].visible = false;
  }).toThrow(/modal scope/);
  await expect(imaging.getPixels({ documentID: document.id, layerID: document.layer('Photo') })).rejects.toThrow(/modal scope/);
  await expect(action.batchPlay([{ _obj: 'select', _target: [{ _ref: 'layer', _id: document.layer('Photo') }], makeVisible: false }], {})).rejects.toThrow(/modal scope/);
});

it('knows only the batchPlay descriptors Mend sends', async () => {
  addPhoto();
  await core.executeAsModal(
    async () => {
      await expect(action.batchPlay([{ _obj: 'delete', _target: [{ _ref: 'layer', _enum: 'ordinal', _value: 'targetEnum' }] }], {})).rejects.toThrow(/does not know/);
      await expect(
        action.batchPlay(
          [{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: 'revealSelection' } }],
          {},
        ),
      ).rejects.toThrow(/does not know/);
    },
    { commandName: 'test' },
  );
});

it('rolls a suspended document back on commit: false, and on a throw out of the modal scope', async () => {
  const document = addPhoto();
  const before = fakePhotoshop.snapshot(document.id);
  const addLayer = async (): Promise<void> => {
    await app.activeDocument.createPixelLayer({ name: 'extra' });
  };

  await core.executeAsModal(
    async ({ hostControl }) => {
      const suspension = await hostControl.suspendHistory({ documentID: document.id, name: 'step' });
      await addLayer();
      await hostControl.resumeHistory(suspension, false);
    },
    { commandName: 'test' },
  );
  expect(fakePhotoshop.snapshot(document.id)).toEqual(before);

  await expect(
    core.executeAsModal(
      async ({ hostControl }) => {
        await hostControl.suspendHistory({ documentID: document.id, name: 'step' });
        await addLayer();
        throw new Error('plugin failed');
      },
      { commandName: 'test' },
    ),
  ).rejects.toThrow('plugin failed');
  expect(fakePhotoshop.snapshot(document.id)).toEqual(before);
  expect(fakePhotoshop.history(document.id)).toEqual([]);

  await core.executeAsModal(addLayer, { commandName: 'test' });
  expect(fakePhotoshop.history(document.id)).toEqual(['New Layer']);
});

it('trims getPixels to where the layer has pixels', async () => {
  const document = addPhoto();
  const result = await core.executeAsModal(
    () =>
      imaging.getPixels({
        documentID: document.id,
        layerID: document.layer('Photo'),
        sourceBounds: { left: 0, top: 0, right: 3, bottom: 3 },
        colorSpace: 'RGB',
        colorProfile: 'sRGB IEC61966-2.1',
      }),
    { commandName: 'test' },
  );
  expect(result.sourceBounds).toEqual({ left: 1, top: 1, right: 2, bottom: 2 });
  expect(Array.from(await result.imageData.getData({}))).toEqual([1, 2, 3, 255]);
  await result.imageData.dispose();
  await expect(result.imageData.getData({})).rejects.toThrow(/after dispose/);
});

it('reads a layer mask only in a modal scope, only of a layer that has one, at the document depth', async () => {
  const document = fakePhotoshop.addDocument({ width: 2, height: 1, depth: 16, layers: [{ name: 'Photo', active: true }] });
  const layerID = document.layer('Photo');
  await expect(imaging.getLayerMask({ documentID: document.id, layerID })).rejects.toThrow(/modal scope/);
  await core.executeAsModal(
    async () => {
      await expect(imaging.getLayerMask({ documentID: document.id, layerID })).rejects.toThrow(/has no layer mask/);
      await action.batchPlay(
        [{ _obj: 'make', new: { _class: 'channel' }, at: { _ref: 'channel', _enum: 'channel', _value: 'mask' }, using: { _enum: 'userMaskEnabled', _value: 'revealAll' } }],
        {},
      );
      const { imageData, sourceBounds } = await imaging.getLayerMask({ documentID: document.id, layerID, kind: 'user' });
      expect(sourceBounds).toEqual({ left: 0, top: 0, right: 2, bottom: 1 });
      expect(imageData.componentSize).toBe(16);
      expect(Array.from(await imageData.getData({}))).toEqual([32768, 32768]);
      await imageData.dispose();
    },
    { commandName: 'test' },
  );
});

it('refuses to delete a group that still holds layers (the docs do not say what becomes of them)', async () => {
  const document = fakePhotoshop.addDocument({
    width: 2,
    height: 1,
    layers: [
      { name: 'Group', children: [{ name: 'Inside' }] },
      { name: 'Photo', active: true },
    ],
  });
  await core.executeAsModal(
    async () => {
      const [group] = app.activeDocument.layers;
      expect(() => group.delete()).toThrow(/does not model deleting a group that still holds layers/);
      group.layers?.[0].delete();
      group.delete();
    },
    { commandName: 'test' },
  );
  expect(fakePhotoshop.tree(document.id)).toEqual([{ name: 'Photo', kind: 'pixel' }]);
  expect(fakePhotoshop.history(document.id)).toEqual(['Delete Layer', 'Delete Layer']);
});

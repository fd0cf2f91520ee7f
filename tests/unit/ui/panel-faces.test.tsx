/**
 * @jest-environment jsdom
 *
 * The panel's Faces operation: Find faces lists each face (thumbnail, tick, score), Restore faces restores the
 * ticked ones at the chosen strength into one layer, and each then shows its identity check; over stand-in
 * workflows and a host that encodes thumbnails.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { HelperError } from '../../../plugin/src/helper-client/helper-client';
import { Panel } from '../../../plugin/src/ui/Panel';
import { findFaces, type FoundFace, restoreFaces } from '../../../plugin/src/workflows/faces';
import type { Host, RgbPicture } from '../../../plugin/src/workflows/host';
import { defineSpectrumPicker, pick } from '../../helpers/spectrum-picker';
import { fakeHelper, panelServices, RESULT_LAYER } from './panel-services';

jest.mock('../../../plugin/src/workflows/faces', () => ({
  ...jest.requireActual('../../../plugin/src/workflows/faces'),
  findFaces: jest.fn(),
  restoreFaces: jest.fn(),
}));
const findFacesMock = findFaces as jest.MockedFunction<typeof findFaces>;
const restoreFacesMock = restoreFaces as jest.MockedFunction<typeof restoreFaces>;

const GENERAL_DETAIL = 'no face model installed: general detail';
const thumbnail = (value: number): RgbPicture => ({ width: 2, height: 2, data: new Uint8Array(12).fill(value) });
const FACES: FoundFace[] = [
  { box: { x: 10, y: 20, width: 40, height: 44 }, score: 0.97, thumbnail: thumbnail(1) },
  { box: { x: 100, y: 30, width: 30, height: 32 }, score: 0.81, thumbnail: thumbnail(2) },
];

/** A host whose thumbnails are URLs naming the picture's first sample; `failing` values cannot be encoded. */
function thumbnailHost(failing: number[] = []): Host {
  const host = {
    pictureUrl: jest.fn(async (picture: RgbPicture) => {
      if (failing.includes(picture.data[0])) throw new Error('encodeImageData failed');
      return `data:image/jpeg;base64,face${picture.data[0]}`;
    }),
  };
  return host as Partial<Host> as Host;
}

beforeAll(defineSpectrumPicker);

beforeEach(() => {
  findFacesMock.mockReset();
  restoreFacesMock.mockReset();
  findFacesMock.mockResolvedValue(FACES);
  restoreFacesMock.mockImplementation(async (_deps, request) => ({
    layer: RESULT_LAYER,
    documentTitle: 'portrait.png',
    name: `Faces · ${GENERAL_DETAIL}`,
    restorer: GENERAL_DETAIL,
    faces: request.faces.map((box, i) => ({ box, score: 0.9, identity: i === 0 ? 0.98 : 0.41, mayNotLookLikeSamePerson: i !== 0 })),
  }));
});

async function facesOperation(host = thumbnailHost()) {
  render(<Panel services={panelServices({ host, connect: () => fakeHelper() })} />);
  await screen.findByText(/Connected/);
  await pick('Operation', 'Faces');
}

const checkbox = (label: string) => screen.getByLabelText(label, { selector: 'sp-checkbox' });

function slide(label: string, value: string): void {
  const slider = screen.getByLabelText(label, { selector: 'sp-slider' }) as HTMLElement & { value?: string };
  slider.value = value;
  fireEvent.input(slider);
}

describe('Faces', () => {
  it('finds the faces: each with its thumbnail, ticked, with its score and place; nothing to restore before', async () => {
    await facesOperation();
    expect(screen.getByText('Restore faces').hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByText('Find faces'));
    const list = await screen.findByRole('group', { name: 'Faces found' });
    expect(findFacesMock.mock.calls[0][1]).toBe('layer');
    const images = Array.from(list.querySelectorAll('img'));
    expect(images.map((img) => [img.getAttribute('src'), img.getAttribute('alt')])).toEqual([
      ['data:image/jpeg;base64,face1', 'Face 1 · score 0.97'],
      ['data:image/jpeg;base64,face2', 'Face 2 · score 0.81'],
    ]);
    expect(['Face 1 · score 0.97', 'Face 2 · score 0.81'].map((label) => checkbox(label).hasAttribute('checked'))).toEqual([true, true]);
    expect(within(list).getByText('at 10, 20 (40×44 px)')).toBeTruthy();
    expect(screen.getByText('Restore faces').hasAttribute('disabled')).toBe(false);
    expect(screen.queryByRole('region', { name: 'Results' })).toBeNull();
  });

  it('restores the ticked faces at the chosen strength into one layer; each shows its identity, the restorer is named', async () => {
    await facesOperation();
    expect(screen.getByText('Strength: 1')).toBeTruthy();
    fireEvent.click(screen.getByText('Find faces'));
    await screen.findByRole('group', { name: 'Faces found' });
    slide('Strength', '0.7000001');
    await screen.findByText('Strength: 0.7');
    fireEvent.click(screen.getByText('Restore faces'));
    const results = await screen.findByRole('region', { name: 'Results' });
    expect(within(results).getByText(`Faces · ${GENERAL_DETAIL} — portrait.png`)).toBeTruthy();
    expect(restoreFacesMock.mock.calls[0][1]).toMatchObject({ source: 'layer', faces: FACES.map((f) => f.box), strength: 0.7 });

    const list = screen.getByRole('group', { name: 'Faces found' });
    expect(
      within(list)
        .getAllByRole('status')
        .map((line) => line.textContent),
    ).toEqual(['Identity 0.98: looks like the same person', 'Identity 0.41: may not look like the same person']);
    expect(within(list).getByText(`Restored by: ${GENERAL_DETAIL}`)).toBeTruthy();
  });

  it('restores only the ticked faces, and cannot restore with none ticked', async () => {
    await facesOperation();
    fireEvent.click(screen.getByText('Find faces'));
    await screen.findByRole('group', { name: 'Faces found' });
    fireEvent.change(checkbox('Face 1 · score 0.97'), { target: { checked: false } });
    await waitFor(() => expect(checkbox('Face 1 · score 0.97').hasAttribute('checked')).toBe(false));
    fireEvent.click(screen.getByText('Restore faces'));
    await screen.findByRole('region', { name: 'Results' });
    expect(restoreFacesMock.mock.calls[0][1].faces).toEqual([FACES[1].box]);
    // Only the restored face has an identity line: the first answer is Face 2's.
    const list = screen.getByRole('group', { name: 'Faces found' });
    expect(
      within(list)
        .getAllByRole('status')
        .map((line) => line.textContent),
    ).toEqual(['Identity 0.98: looks like the same person']);

    fireEvent.change(checkbox('Face 2 · score 0.81'), { target: { checked: false } });
    await waitFor(() => expect(screen.getByText('Restore faces').hasAttribute('disabled')).toBe(true));
  });

  it('says what the helper said when the photo has no face, and lists nothing to restore', async () => {
    const message = 'no face was found: Faces finds faces from about 24 pixels across, looking roughly toward the camera';
    findFacesMock.mockRejectedValue(new HelperError('job_failed', message));
    await facesOperation();
    fireEvent.click(screen.getByText('Find faces'));
    expect((await screen.findByRole('alert')).textContent).toContain(message);
    expect(screen.queryByRole('group', { name: 'Faces found' })).toBeNull();
    expect(screen.getByText('Restore faces').hasAttribute('disabled')).toBe(true);
    expect(restoreFacesMock).not.toHaveBeenCalled();
  });

  it('lists a face whose thumbnail Photoshop could not encode by its place, and can still restore it', async () => {
    await facesOperation(thumbnailHost([2]));
    fireEvent.click(screen.getByText('Find faces'));
    const list = await screen.findByRole('group', { name: 'Faces found' });
    expect(Array.from(list.querySelectorAll('img'), (img) => img.getAttribute('alt'))).toEqual(['Face 1 · score 0.97']);
    expect(within(list).getByText('at 100, 30 (30×32 px)')).toBeTruthy();
    expect(checkbox('Face 2 · score 0.81').hasAttribute('checked')).toBe(true);
    fireEvent.click(screen.getByText('Restore faces'));
    await screen.findByRole('region', { name: 'Results' });
    expect(restoreFacesMock.mock.calls[0][1].faces).toEqual(FACES.map((f) => f.box));
  });
});

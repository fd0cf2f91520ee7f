import path from 'node:path';
import sharp from 'sharp';
import { embedIccProfile, iccColourSpace } from '../../../native-helper/src/codecs/icc-profile';

const PROFILED = path.join(__dirname, '..', '..', 'fixtures', 'images', 'aerial_16bit.png');

describe('embedIccProfile', () => {
  const gray = () => sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } });

  it('writes a profile that readers find, in PNG and JPEG, leaving the pixels as they were', async () => {
    const profile = (await sharp(PROFILED).metadata()).icc;
    if (!profile) throw new Error('the fixture lost its profile');
    expect(iccColourSpace(profile)).toBe('RGB ');
    for (const format of ['png', 'jpeg'] as const) {
      const plain = await gray()[format]().toBuffer();
      const tagged = embedIccProfile(plain, format, profile);
      expect((await sharp(tagged).metadata()).icc).toEqual(profile);
      expect(await sharp(tagged).keepIccProfile().raw().toBuffer()).toEqual(await sharp(plain).raw().toBuffer());
    }
  });

  it('splits a profile larger than one JPEG segment over several', async () => {
    const header = (await sharp(PROFILED).metadata()).icc ?? Buffer.alloc(0);
    const large = Buffer.concat([header, Buffer.alloc(150_000 - header.length, 7)]);
    const tagged = embedIccProfile(await gray().jpeg().toBuffer(), 'jpeg', large);
    expect((await sharp(tagged).metadata()).icc?.equals(large)).toBe(true);
  });
});

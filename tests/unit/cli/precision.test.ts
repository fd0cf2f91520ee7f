import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { runCli } from '../../../native-helper/src/cli/main';
import { fakeApp, recordingIo } from './fake-app';

describe('mend upscale / restore --precision (with a fake app)', () => {
  let work: string;
  const file = (name: string) => path.join(work, name);

  async function mend(argv: string[]) {
    const app = fakeApp();
    const io = recordingIo(app);
    const code = await runCli(argv, io);
    return { code, stderr: io.err.join(''), runs: app.runs };
  }

  beforeEach(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-cli-precision-'));
    await sharp({ create: { width: 24, height: 16, channels: 3, background: '#808080' } })
      .png()
      .toFile(file('in.png'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('passes the precision to the job of upscale, restore and every compare variant; leaves it out when not given', async () => {
    expect((await mend(['upscale', file('in.png'), '-o', file('a.png'), '--precision', 'int8'])).runs[0].options).toMatchObject({ task: 'upscale', precision: 'int8' });
    expect((await mend(['restore', file('in.png'), '-o', file('b.png'), '--precision', 'fp16'])).runs[0].options).toMatchObject({ task: 'restore', precision: 'fp16' });
    const compare = await mend(['upscale', file('in.png'), '-o', file('c'), '--compare', 'x,y', '--precision', 'int8']);
    expect(compare.runs[0].options).toMatchObject({ task: 'compare', variants: [{ precision: 'int8' }, { precision: 'int8' }] });
    expect((await mend(['upscale', file('in.png'), '-o', file('d.png')])).runs[0].options).toMatchObject({ task: 'upscale', precision: undefined });
  });

  it('refuses a precision Mend does not have, before running anything', async () => {
    const refused = await mend(['upscale', file('in.png'), '-o', file('e.png'), '--precision', 'int4']);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringMatching(/--precision.*int4.*fp32, int8, fp16/s)]);
    expect(refused.runs).toHaveLength(0);
  });
});

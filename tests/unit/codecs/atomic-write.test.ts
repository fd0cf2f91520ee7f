import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeFileAtomic, writeFileAtomicWith } from '../../../native-helper/src/codecs/atomic-write';
import { MendError } from '../../../native-helper/src/errors';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('writeFileAtomic', () => {
  let work: string;
  beforeEach(() => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-atomic-'));
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('writes the whole file, creating its folder, and leaves no temporary file', async () => {
    const file = path.join(work, 'new', 'folder', 'out.png');
    await writeFileAtomic(file, async () => bytes('result'), false);
    expect(readFileSync(file, 'utf8')).toBe('result');
    expect(readdirSync(path.dirname(file))).toEqual(['out.png']);
  });

  it('refuses an existing file unless overwrite, naming --overwrite, and never calls the producer', async () => {
    const file = path.join(work, 'out.png');
    writeFileSync(file, 'precious');
    const produce = jest.fn(async () => bytes('new'));
    const error = await writeFileAtomic(file, produce, false).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MendError);
    expect([(error as MendError).code, (error as MendError).message]).toEqual(['output_exists', `${file} already exists; pass --overwrite to replace it`]);
    expect(produce).not.toHaveBeenCalled();
    expect(readFileSync(file, 'utf8')).toBe('precious');

    await writeFileAtomic(file, produce, true);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(work)).toEqual(['out.png']);
  });

  it('leaves nothing behind, and the old file intact, when producing or renaming fails', async () => {
    await expect(writeFileAtomic(path.join(work, 'a.png'), () => Promise.reject(new Error('encoder failed')), false)).rejects.toThrow('encoder failed');
    expect(readdirSync(work)).toEqual([]);

    writeFileSync(path.join(work, 'keep.png'), 'old');
    await expect(writeFileAtomic(path.join(work, 'keep.png'), () => Promise.reject(new Error('encoder failed')), true)).rejects.toThrow('encoder failed');
    expect(readFileSync(path.join(work, 'keep.png'), 'utf8')).toBe('old');

    // A folder where the file should go: the temporary file is written, then the rename fails.
    const blocked = path.join(work, 'blocked.png');
    mkdirSync(path.join(blocked, 'inside'), { recursive: true });
    await expect(writeFileAtomic(blocked, async () => bytes('x'), true)).rejects.toThrow();
    expect(readdirSync(work).sort()).toEqual(['blocked.png', 'keep.png']);
  });

  it('removes the folders it made for a write that failed, and only those', async () => {
    writeFileSync(path.join(work, 'mine.txt'), 'x');
    const file = path.join(work, 'made', 'for', 'it', 'out.png');
    await expect(writeFileAtomicWith(file, () => Promise.reject(new Error('cancelled')), false)).rejects.toThrow('cancelled');
    expect(readdirSync(work)).toEqual(['mine.txt']);
  });

  it('lets a streaming writer fill the temporary file, and removes its half-written file when it fails', async () => {
    const file = path.join(work, 'big.png');
    await writeFileAtomicWith(file, async (temp) => writeFileSync(temp, 'streamed'), false);
    expect(readFileSync(file, 'utf8')).toBe('streamed');
    const broken = path.join(work, 'broken.png');
    await expect(
      writeFileAtomicWith(
        broken,
        async (temp) => {
          writeFileSync(temp, 'half');
          throw new Error('encoder failed');
        },
        false,
      ),
    ).rejects.toThrow('encoder failed');
    expect(readdirSync(work)).toEqual(['big.png']);
  });
});

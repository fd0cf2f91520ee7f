import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { openCatalog } from '../../native-helper/src/app';
import { FACE_MODELS } from '../../native-helper/src/faces/face-models';
import { runMend } from '../helpers/run-mend';

/**
 * `mend models export` from the model cache `npm test` prepared, then `mend models prepare --from` into a
 * scratch cache (MEND_MODEL_CACHE): small models only (the script-built ones and a face detector).
 */
describe('mend models export / prepare --from', () => {
  // In the order the commands report them: the catalog's (by file name), then the face models.
  const IDS = ['classical-pushpull', 'identity', 'blazeface-256'];
  const previous = process.env.MEND_MODEL_CACHE;
  let scratch: string;
  let config: string;
  let archive: string;
  let files: Record<string, { file: string; sha256: string }>;

  const useCache = (dir: string | undefined) => {
    if (dir === undefined) delete process.env.MEND_MODEL_CACHE;
    else process.env.MEND_MODEL_CACHE = dir;
  };
  const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  const freshCache = () => mkdtempSync(path.join(scratch, 'cache-'));

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mend-archive-'));
    config = path.join(scratch, 'config');
    archive = path.join(scratch, 'models.tar');
    useCache(previous);
    const catalog = await openCatalog(undefined);
    files = {
      identity: { file: catalog.get('identity').file, sha256: catalog.get('identity').sha256 },
      'classical-pushpull': { file: catalog.get('classical-pushpull').file, sha256: catalog.get('classical-pushpull').sha256 },
      'blazeface-256': { file: FACE_MODELS['blazeface-256'].file, sha256: FACE_MODELS['blazeface-256'].sha256 },
    };
    const exported = await runMend(config, 'models', 'prepare', ...IDS);
    expect(exported.code).toBe(0);
  });
  afterAll(() => {
    useCache(previous);
    rmSync(scratch, { recursive: true, force: true });
  });

  it('exports built models into one archive and installs them, checked, on a machine that has none; a second install skips them', async () => {
    useCache(previous);
    const exported = await runMend(config, 'models', 'export', archive, ...IDS, '--json');
    expect(exported).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(exported.stdout)).toEqual({ exported: IDS, bytes: expect.any(Number) });
    const members: string[] = [];
    await tar.t({ file: archive, onReadEntry: (entry) => members.push(entry.path) });
    expect(members.sort()).toEqual(IDS.map((id) => `mend-models/${files[id].file}`).sort());
    expect((await runMend(config, 'models', 'export', archive, 'identity')).code).toBe(3);

    const cache = freshCache();
    useCache(cache);
    const installed = await runMend(config, 'models', 'prepare', '--from', archive, ...IDS, '--json');
    expect(installed).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(installed.stdout)).toEqual({ installed: IDS, skipped: [], refused: [], absent: [] });
    for (const id of IDS) expect(sha256(path.join(cache, files[id].file))).toBe(files[id].sha256);
    // Nothing but the models: the staging folder is gone.
    expect(readdirSync(cache).sort()).toEqual(IDS.map((id) => files[id].file).sort());

    const again = await runMend(config, 'models', 'prepare', '--from', archive, ...IDS);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`0 models installed from ${archive}, 3 already ready.\n`);
  });

  it('compresses an archive named .tgz, and installs from it too', async () => {
    useCache(previous);
    const tgz = path.join(scratch, 'models.tgz');
    expect((await runMend(config, 'models', 'export', tgz, 'identity')).code).toBe(0);
    expect([...readFileSync(tgz).subarray(0, 2)]).toEqual([0x1f, 0x8b]);
    const cache = freshCache();
    useCache(cache);
    const installed = await runMend(config, 'models', 'prepare', '--from', tgz, 'identity');
    expect(installed.code).toBe(0);
    expect(sha256(path.join(cache, files.identity.file))).toBe(files.identity.sha256);
  });

  it('refuses a model whose archived file differs from the pinned one, and installs no link or stray path', async () => {
    // An archive as another Mend version (or a damaged copy) might hold: one file with other bytes, one a symbolic link, one outside the folder.
    const staging = path.join(scratch, 'forged');
    mkdirSync(path.join(staging, 'mend-models'), { recursive: true });
    writeFileSync(path.join(staging, 'mend-models', files.identity.file), 'not the identity model');
    symlinkSync('/etc/passwd', path.join(staging, 'mend-models', files['blazeface-256'].file));
    writeFileSync(path.join(staging, files['classical-pushpull'].file), 'stray');
    const forged = path.join(scratch, 'forged.tar');
    await tar.c({ file: forged, cwd: staging }, ['mend-models', files['classical-pushpull'].file]);

    const cache = freshCache();
    useCache(cache);
    const result = await runMend(config, 'models', 'prepare', '--from', forged, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { installed: string[]; refused: { id: string; reason: string }[]; absent: string[] };
    expect(report.installed).toEqual([]);
    expect(report.refused).toEqual([{ id: 'identity', reason: expect.stringContaining('sha256') }]);
    expect(report.absent).toEqual(expect.arrayContaining(['blazeface-256', 'classical-pushpull']));
    expect(result.stderr).toMatch(/refused identity .*another Mend version or is damaged/);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('says what is wrong with an archive that is not one of Mend, one that lacks a named model, and a model not built here', async () => {
    const cache = freshCache();
    useCache(cache);
    const other = path.join(scratch, 'other.tar');
    writeFileSync(path.join(scratch, 'readme.txt'), 'hello');
    await tar.c({ file: other, cwd: scratch }, ['readme.txt']);
    const notOurs = await runMend(config, 'models', 'prepare', '--from', other);
    expect(notOurs.code).toBe(3);
    expect(notOurs.stderr).toMatch(/not an archive made by `mend models export`/);

    const missingFile = await runMend(config, 'models', 'prepare', '--from', path.join(scratch, 'nowhere.tar'));
    expect(missingFile.code).toBe(3);
    expect(missingFile.stderr).toMatch(/nowhere\.tar cannot be read/);

    const lacking = await runMend(config, 'models', 'prepare', '--from', archive, 'realesrgan-x4fast');
    expect(lacking.code).toBe(4);
    expect(lacking.stderr).toMatch(/does not hold realesrgan-x4fast/);

    const unknown = await runMend(config, 'models', 'export', path.join(scratch, 'x.tar'), 'no-such-model');
    expect(unknown.code).toBe(4);
    const notBuilt = await runMend(config, 'models', 'export', path.join(scratch, 'x.tar'), 'identity');
    expect(notBuilt.code).toBe(4);
    expect(notBuilt.stderr).toMatch(/identity is not built here; run `mend models prepare identity` first/);
  });
});

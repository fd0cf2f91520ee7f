import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import * as tar from 'tar';
import { freePort } from '../../native-helper/src/bench/free-port';
import { serveAndRunJob } from '../../native-helper/scripts/release-smoke';
import { sourcesCacheDir } from '../../native-helper/src/catalog/sources';
import { HELPER_VERSION } from '../../native-helper/src/package-info';

const execFileAsync = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const MODEL = 'realesr-animevideov3-x2';
const WINDOWS = process.platform === 'win32';
/** As release.ts names them: the CI workflow runs this test on Windows and macOS too. */
const TARGET = `${{ linux: 'linux', darwin: 'macos', win32: 'windows' }[process.platform as string] ?? process.platform}-${process.arch}`;

/** An environment with no node on PATH, HOME (Windows: the profile folders) at `home`, the settings Mend reads, and what Windows needs to run cmd.exe at all. */
function bareEnvironment(home: string): NodeJS.ProcessEnv {
  const settings = { MEND_PROVIDER: 'cpu', MEND_SOURCES_CACHE: sourcesCacheDir() };
  if (!WINDOWS) return { HOME: home, PATH: '/nonexistent', ...settings };
  const appData = path.join(home, 'AppData');
  return {
    USERPROFILE: home,
    APPDATA: path.join(appData, 'Roaming'),
    LOCALAPPDATA: path.join(appData, 'Local'),
    SystemRoot: process.env.SystemRoot,
    PATH: 'C:\\nonexistent',
    ...settings,
  };
}

/** Where the helper keeps its config folder for that environment (config/config-dir.ts, seen from outside). */
function configFolder(home: string): string {
  if (WINDOWS) return path.join(home, 'AppData', 'Roaming', 'Mend');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Mend');
  return path.join(home, '.config', 'mend');
}

/**
 * `npm run release`'s archive for this machine (without the .ccx), unpacked into an empty folder and run with
 * an almost empty environment: no node on PATH, HOME a scratch folder. The release workflow runs it on Windows
 * and macOS too. Its model is converted from the sources cache `npm test`
 * filled (MEND_SOURCES_CACHE, only read), so nothing is downloaded; the download itself is
 * tests/unit/catalog/source-download.test.ts's. About 25 s, most of it building the archive.
 */
describe('the release archive', () => {
  let scratch: string;
  let dir: string;
  let home: string;
  const env = () => bareEnvironment(home);
  const mend = (args: string[], environment: NodeJS.ProcessEnv = env()) =>
    execFileAsync(path.join(dir, WINDOWS ? 'mend.cmd' : 'mend'), args, { env: environment, cwd: scratch, shell: WINDOWS });

  beforeAll(async () => {
    scratch = mkdtempSync(path.join(tmpdir(), 'mend-release-'));
    const out = path.join(scratch, 'out');
    await execFileAsync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'native-helper', 'scripts', 'release.ts'), '--no-ccx', '--out', out], { cwd: ROOT });
    const name = `mend-helper-${HELPER_VERSION}-${TARGET}`;
    const archive = path.join(out, `${name}.tar.gz`);
    const sums = readFileSync(path.join(out, `mend-${HELPER_VERSION}-${TARGET}-SHA256SUMS.txt`), 'utf8');
    expect(sums).toBe(`${createHash('sha256').update(readFileSync(archive)).digest('hex')}  ${name}.tar.gz\n`);
    const unpacked = path.join(scratch, 'unpacked');
    mkdirSync(unpacked);
    await tar.x({ file: archive, cwd: unpacked });
    dir = path.join(unpacked, name);
    home = path.join(scratch, 'home');
    mkdirSync(home);
  }, 180_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('runs without node on PATH: info, models prepare into the config folder, upscale, export and prepare --from', async () => {
    expect(readdirSync(dir).sort()).toEqual(['README.txt', WINDOWS ? 'mend.cmd' : 'mend', 'models', 'native-helper', 'node_modules', 'package.json', 'runtime']);
    const info = await mend(['info']);
    expect(info.stdout).toContain(`Mend helper ${HELPER_VERSION}`);
    expect(info.stdout).toContain(`Config:     ${configFolder(home)}`);

    await mend(['models', 'prepare', MODEL]);
    const cache = path.join(configFolder(home), 'cache', 'onnx');
    expect(readdirSync(cache)).toEqual([`${MODEL}.onnx`]);

    const output = path.join(scratch, 'out.png');
    await mend(['upscale', path.join(ROOT, 'tests', 'fixtures', 'images', 'aerial_16bit.png'), '-o', output, '--model', MODEL]);
    expect(await sharp(output).metadata()).toMatchObject({ width: 128, height: 128, depth: 'ushort' });

    const models = path.join(scratch, 'models.tar');
    await mend(['models', 'export', models]);
    const otherHome = path.join(scratch, 'other-home');
    mkdirSync(otherHome);
    const installed = await mend(['models', 'prepare', '--from', models, '--json'], bareEnvironment(otherHome));
    expect(JSON.parse(installed.stdout)).toMatchObject({ installed: [MODEL], refused: [] });
    expect(existsSync(path.join(configFolder(otherHome), 'cache', 'onnx', `${MODEL}.onnx`))).toBe(true);
  });

  it('serves the panel: pairing, the version handshake and an upscale job through the API', async () => {
    const result = await serveAndRunJob(dir, env(), await freePort(), MODEL);
    expect(result).toMatchObject({ helperVersion: HELPER_VERSION, panelVersion: HELPER_VERSION, readyModels: 1 });
    expect(result.job).toMatchObject({ task: 'upscale', models: [MODEL], width: 96, height: 64, bytes: 96 * 64 * 4 });
  });
});

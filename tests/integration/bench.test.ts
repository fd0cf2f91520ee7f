import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { BenchDocument } from '../../native-helper/src/bench/bench-document';

const ROOT = path.join(__dirname, '..', '..');

/** The smoke version of `mend bench`: every path runs once on one small image; structure and sanity only, no timing asserted. */
describe('mend bench --quick', () => {
  let out: string;
  let doc: BenchDocument;

  beforeAll(() => {
    out = mkdtempSync(path.join(tmpdir(), 'mend-bench-test-'));
    const run = spawnSync(process.execPath, [path.join(ROOT, 'native-helper', 'bin', 'mend.js'), 'bench', '--quick', '--json', '--out', out], {
      encoding: 'utf8',
      env: { ...process.env, MEND_PROVIDER: 'cpu' },
      timeout: 170_000,
    });
    if (run.status !== 0) throw new Error(`mend bench exited with ${run.status}: ${run.stderr}`);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    doc = JSON.parse(lines[0]) as BenchDocument;
  }, 180_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('measures the engine limit, the CLI and the server on one image with one model', () => {
    expect(doc).toMatchObject({ model: 'realesr-animevideov3-x2', scale: 2, provider: 'cpu', quick: true, repeats: 1 });
    expect(doc.gflopPerMegapixel).toBeGreaterThan(0);
    expect(doc.rows.map((r) => r.path)).toEqual(['engine-limit', 'cli', 'server', 'reference']);
    const sizes = new Set(doc.rows.map((r) => r.size));
    expect(sizes.size).toBe(1);
    for (const row of doc.rows.filter((r) => r.path !== 'reference')) {
      expect(row.notRun).toBeUndefined();
      expect(row.runsMs).toHaveLength(1);
      expect(row.medianMs).toBeGreaterThan(0);
      expect(row.megapixelsPerSecond).toBeCloseTo(row.megapixels / ((row.medianMs as number) / 1000), 9);
      expect(row.gflopsPerSecond).toBeGreaterThan(0);
      expect(row.peakRssBytes).toBeGreaterThan(10e6);
    }
  });

  it('runs the reference engine where Vulkan is there, and says why not where it is not', () => {
    const reference = doc.rows.find((r) => r.path === 'reference');
    if (reference?.notRun) expect(reference.notRun).toMatch(/realesrgan-ncnn-vulkan|not unpacked|linux-x64/);
    else expect(reference?.medianMs).toBeGreaterThan(0);
  });

  it('computes the ratios from the rows', () => {
    const time = (path: string) => doc.rows.find((r) => r.path === path)?.medianMs as number;
    const [ratios] = doc.ratios;
    expect(ratios.cliOverEngineLimit).toBeCloseTo(time('cli') / time('engine-limit'), 9);
    expect(ratios.serverOverEngineLimit).toBeCloseTo(time('server') / time('engine-limit'), 9);
    if (time('reference')) expect(ratios.referenceOverCli).toBeCloseTo(time('reference') / time('cli'), 9);
    expect(doc.targets.map((t) => t.name)).toEqual(['speed-up over the reference engine', 'overhead over the engine limit', 'bounded memory']);
  });

  it('writes the table, the chart and the document', async () => {
    expect(doc.files.map((f) => path.basename(f))).toEqual(['bench.md', 'bench.svg', 'bench.png', 'bench.json']);
    for (const file of doc.files) expect(existsSync(file)).toBe(true);
    expect(readFileSync(path.join(out, 'bench.md'), 'utf8')).toContain('| cli | 128² |');
    expect((JSON.parse(readFileSync(path.join(out, 'bench.json'), 'utf8')) as BenchDocument).rows).toEqual(doc.rows);
    expect(await sharp(path.join(out, 'bench.png')).metadata()).toMatchObject({ format: 'png' });
  });
});

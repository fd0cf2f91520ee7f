import sharp from 'sharp';
import { benchChartSvg, niceCeiling } from '../../../native-helper/src/bench/bench-chart';
import { median, ratiosOf, recommendedTile, targetsOf, toRow, type BenchDocument, type RawMeasurement } from '../../../native-helper/src/bench/bench-document';
import { benchMarkdown } from '../../../native-helper/src/bench/bench-table';

const MB = 1e6;

function raw(path: RawMeasurement['path'], size: number, runsMs: number[], peakRssBytes: number | null, notRun?: string): RawMeasurement {
  return { path, size, runsMs, peakRssBytes, notRun };
}

/** 1 GFLOP per 0.25 MP (512²), so GFLOP/s are easy to check by hand. */
const gflopOf = (size: number) => (size * size) / (512 * 512);

function document(): BenchDocument {
  const raws = [
    raw('engine-limit', 512, [2000, 1000, 3000], 600 * MB),
    raw('cli', 512, [1250, 1300, 1200], 300 * MB),
    raw('server', 512, [1400], 350 * MB),
    raw('reference', 512, [25_000], 200 * MB),
    raw('engine-limit', 1024, [4000], 2000 * MB),
    raw('cli', 1024, [5000], 400 * MB),
    raw('server', 1024, [], null, 'failed: the job ended failed'),
    raw('reference', 1024, [], null, 'over the time budget (--reference-max-size 512)'),
    raw('cli', 2048, [20_000], 440 * MB),
  ];
  const rows = raws.map((r) => toRow(r, gflopOf(r.size)));
  const ratios = ratiosOf(rows);
  return {
    model: 'tiny-x2',
    scale: 2,
    provider: 'cpu',
    fixedSide: null,
    quick: false,
    repeats: 3,
    gflopPerMegapixel: 3.81,
    machine: { platform: 'linux', arch: 'x64', cpus: 2, cpuModel: 'Test CPU', memoryBytes: 8e9, node: 'v20.0.0' },
    rows,
    ratios,
    tileSweep: [
      {
        provider: 'cpu',
        size: 1024,
        current: 256,
        best: 512,
        recommended: 512,
        points: [
          { tile: 256, medianMs: 6000, megapixelsPerSecond: 0.17, peakRssBytes: 300 * MB },
          { tile: 512, medianMs: 5000, megapixelsPerSecond: 0.21, peakRssBytes: 500 * MB },
        ],
      },
    ],
    targets: targetsOf(rows, ratios),
    files: [],
  };
}

describe('bench document arithmetic', () => {
  it('takes the median of the runs and derives throughput from it', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
    const [engine] = document().rows;
    expect(engine.medianMs).toBe(2000);
    expect(engine.megapixels).toBeCloseTo(0.262144, 6);
    expect(engine.megapixelsPerSecond).toBeCloseTo(0.131072, 6);
    expect(engine.gflopsPerSecond).toBeCloseTo(0.5, 9);
  });

  it('computes the ratios from the rows of the same size, and none where a row is missing', () => {
    expect(document().ratios).toEqual([
      { size: 512, cliOverEngineLimit: 1250 / 2000, serverOverEngineLimit: 1400 / 2000, referenceOverCli: 25_000 / 1250 },
      { size: 1024, cliOverEngineLimit: 5000 / 4000, serverOverEngineLimit: null, referenceOverCli: null },
      { size: 2048, cliOverEngineLimit: null, serverOverEngineLimit: null, referenceOverCli: null },
    ]);
  });

  it('judges the three targets on what was measured', () => {
    expect(document().targets.map((t) => [t.measured, t.met])).toEqual([
      ['20.00× at 512²', true],
      ['0.63×', true],
      ['CLI 1.10× (400 MB → 440 MB)', true],
    ]);
    // The server's memory counts as well: growing 25 % fails the target.
    const withServer = document();
    withServer.rows = [
      ...withServer.rows.filter((r) => !(r.path === 'server' && r.size === 1024)),
      toRow(raw('server', 1024, [5000], 400 * MB), 1),
      toRow(raw('server', 2048, [20_000], 500 * MB), 1),
    ];
    expect(targetsOf(withServer.rows, ratiosOf(withServer.rows))[2]).toEqual({
      name: 'bounded memory',
      goal: 'peak RSS of the CLI and of the server API within 20 % from 1024² to 2048²',
      measured: 'CLI 1.10× (400 MB → 440 MB), server 1.25× (400 MB → 500 MB)',
      met: false,
    });
    const slow = document();
    slow.rows = slow.rows.filter((r) => r.path !== 'reference');
    expect(targetsOf(slow.rows, ratiosOf(slow.rows))[0]).toMatchObject({ measured: 'not measured', met: null });
  });
});

describe('tile recommendation', () => {
  const point = (tile: number, megapixelsPerSecond: number) => ({ tile, medianMs: 1000 / megapixelsPerSecond, megapixelsPerSecond, peakRssBytes: tile * MB });

  it('takes the smallest tile within 10 % of the fastest: memory grows with the tile, speed hardly', () => {
    // The CPU sweep of this machine: 768 fastest, 256 6 % slower at 40 % of the memory, 192 13 % slower.
    expect(recommendedTile([point(128, 0.092), point(192, 0.099), point(256, 0.107), point(512, 0.114), point(768, 0.114), point(1024, 0.064)])).toBe(256);
    expect(recommendedTile([point(256, 0.1), point(512, 0.2)])).toBe(512);
    expect(recommendedTile([])).toBe(0);
  });
});

describe('bench writers', () => {
  it('writes every row, the ratios, the targets and the tile sweep as markdown', () => {
    const markdown = benchMarkdown(document());
    expect(markdown).toContain('| path | input | MP | time (s) | runs | MP/s | GFLOP/s | peak RSS |');
    expect(markdown).toContain('| engine-limit | 512² | 0.262 | 2.00 | 3 | 0.131 | 0.5 | 600 MB |');
    expect(markdown).toContain('| reference | 512² | 0.262 | 25.0 | 1 | 0.010 | 0.0 | 200 MB |');
    expect(markdown).toContain('| server | 1024² | 1.049 | not run: failed: the job ended failed | | | | |');
    expect(markdown).toContain('| 512² | 0.63× | 0.70× | 20.00× |');
    expect(markdown).toContain('| bounded memory | peak RSS of the CLI and of the server API within 20 % from 1024² to 2048² | CLI 1.10× (400 MB → 440 MB) | yes |');
    expect(markdown).toContain('| 512 | 5.00 | 0.210 | 500 MB |');
    expect(markdown).toContain('catalog tile now 256, fastest 512, recommended 512');
    // Every table row has the header's number of cells.
    for (const line of markdown.split('\n').filter((l) => l.startsWith('| engine') || l.startsWith('| cli'))) expect(line.split('|').length).toBe(10);
  });

  it("says that a fixed-side model's engine limit runs its tiles, not the whole image", () => {
    expect(benchMarkdown(document())).toContain('- `engine-limit`: engine limit (one session.run, whole image)');
    expect(benchMarkdown({ ...document(), fixedSide: 256 })).toContain("- `engine-limit`: engine limit (session.run on the image's 256² tiles back to back, no overlap)");
  });

  it('draws time and memory against megapixels, one line per path that has points, as SVG that renders to PNG', async () => {
    const svg = benchChartSvg(document());
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    // cli has points at three sizes in both panels; reference at one.
    expect(svg.match(/<polyline[^>]*stroke="#d95f02"/g)).toHaveLength(2);
    expect(svg.match(/<circle[^>]*fill="#d95f02"/g)).toHaveLength(6);
    expect(svg.match(/<circle[^>]*fill="#e7298a"/g)).toHaveLength(2);
    for (const label of ['engine-limit', 'cli', 'server', 'reference', 'input megapixels', 'peak RSS (MB)']) expect(svg).toContain(label);
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    expect(await sharp(png).metadata()).toMatchObject({ format: 'png', width: 840, height: 328 });
  });

  it('rounds axes up to 1, 2 or 5 × a power of ten', () => {
    expect([0, 0.7, 1, 1.3, 4.2, 7, 23, 0.013].map(niceCeiling)).toEqual([1, 1, 1, 2, 5, 10, 50, 0.02]);
  });
});

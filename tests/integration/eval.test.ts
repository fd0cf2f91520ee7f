import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createApp } from '../../native-helper/src/app';
import type { CliIo } from '../../native-helper/src/cli/cli-io';
import { runCli } from '../../native-helper/src/cli/main';
import type { EvalReport } from '../../native-helper/src/eval/report';

/** The CI smoke run of `mend eval`: one small crop, one shipped model, real runner. No timing is asserted. */
describe('mend eval --quick --json', () => {
  let work: string;
  let report: EvalReport;
  let code: number;
  let stdout: string;

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'mend-eval-'));
    const out: string[] = [];
    const io: CliIo = {
      stdout: { write: (s: string) => out.push(s) },
      stderr: { write: () => true },
      env: { MEND_CONFIG_DIR: path.join(work, 'config'), MEND_PROVIDER: 'cpu' },
      createApp,
      onInterrupt: () => () => undefined,
    };
    code = await runCli(['eval', '--quick', '--json', '--out', path.join(work, 'results')], io);
    stdout = out.join('');
    report = JSON.parse(stdout) as EvalReport;
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints one JSON document describing one table of baselines and one model', () => {
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(report).toMatchObject({ tool: 'mend eval', quick: true, provider: 'cpu', defaults: [] });
    expect(report.tables).toHaveLength(1);
    const [table] = report.tables;
    expect(table).toMatchObject({ degradation: 'bicubic-x2', kind: 'upscale', scale: 2, border: 2 });
    expect(table.methods.map((m) => m.method)).toEqual(['identity', 'bicubic', 'lanczos', 'esrgan-slim-x2']);
    for (const method of table.methods) {
      expect(Object.keys(method.mean).sort()).toEqual(['detailRatio', 'psnrRgb', 'psnrY', 'ssimRgb', 'ssimY']);
      expect(method.images).toHaveLength(1);
    }
  });

  it('measures sensibly: bicubic beats nearest on a bicubic shrink, and the model scores finite, plausible values', () => {
    const score = (id: string) => {
      const method = report.tables[0].methods.find((m) => m.method === id);
      if (!method) throw new Error(`${id} is not in the table`);
      return method.mean;
    };
    expect(score('bicubic').psnrY).toBeGreaterThan(score('identity').psnrY + 0.5);
    expect(score('bicubic').ssimY).toBeGreaterThan(score('identity').ssimY);
    const model = score('esrgan-slim-x2');
    for (const value of Object.values(model)) expect(Number.isFinite(value)).toBe(true);
    expect(model.psnrY).toBeGreaterThan(25);
    expect(model.ssimY).toBeGreaterThan(0.7);
    expect(model.ssimY).toBeLessThanOrEqual(1);
    expect(report.tables[0].methods.find((m) => m.method === 'esrgan-slim-x2')?.msPerImage).toBeGreaterThan(0);
  });

  it('writes the JSON, the markdown tables and a contact sheet PNG', async () => {
    expect(JSON.parse(readFileSync(report.files.json, 'utf8'))).toEqual(report);
    expect(readFileSync(report.files.markdown, 'utf8')).toMatch(/\| `esrgan-slim-x2` \|/);
    expect(report.files.contactSheets).toHaveLength(1);
    expect(existsSync(report.files.contactSheets[0])).toBe(true);
    const sheet = await sharp(report.files.contactSheets[0]).metadata();
    expect(sheet.format).toBe('png');
    // Ground truth + 3 baselines + 1 model, each 96 px wide.
    expect(sheet.width).toBeGreaterThan(5 * 96);
  });
});

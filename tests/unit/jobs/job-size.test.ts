import { jobSizeRefusal } from '../../../native-helper/src/jobs/job-size';
import type { JobRequestHeader } from '../../../native-helper/src/protocol';

const GB = 1e9;
const rgba16 = (side: number) => ({ width: side, height: side, channels: 4 as const, bitDepth: 16 as const, maxValue: 32768 });

describe('job size limits', () => {
  it('refuses a result over a gigapixel, naming its size in pixels and bytes', () => {
    const header: JobRequestHeader = { options: { task: 'upscale', scale: 8 }, image: rgba16(6000) };
    expect(jobSizeRefusal(header, () => ({ target: 8, model: 4 }), 1000 * GB)).toBe(
      'the result would be 48000×48000 RGBA 16-bit (2.30 gigapixels, 18.4 GB), more than the 1 gigapixel the helper makes at once: select a part, or choose a smaller scale',
    );
  });

  it("refuses what this machine's memory cannot hold, counting input, result and working images", () => {
    // 20000² RGBA 16-bit is 3.2 GB; a ×1 restore holds input + result + the engine: 7.9 GB, more than 3/4 of 8 GB.
    const restore: JobRequestHeader = { options: { task: 'restore' }, image: rgba16(20000) };
    expect(jobSizeRefusal(restore, () => ({ target: 1, model: 1 }), 8 * GB)).toBe(
      "the result would be 20000×20000 RGBA 16-bit (3.2 GB), more than this machine's memory (8.0 GB) allows: select a part",
    );
    expect(jobSizeRefusal(restore, () => ({ target: 1, model: 1 }), 12 * GB)).toBeUndefined();
    // ×3 through a ×4 model also holds the ×4 image (4000² → 16000², 1.0 GB) before resampling it to ×3 (0.6 GB): 3.2 GB in all.
    // ×4 itself needs 2.6 GB. On a 4 GB machine (3 GB for a job) the first is refused, the second is not.
    const upscale: JobRequestHeader = { options: { task: 'upscale', scale: 3 }, image: { ...rgba16(4000), bitDepth: 8, maxValue: 255 } };
    expect(jobSizeRefusal(upscale, () => ({ target: 3, model: 4 }), 4 * GB)).toBe(
      "the result would be 12000×12000 RGBA 8-bit (0.6 GB), more than this machine's memory (4.0 GB) allows: select a part, or choose a smaller scale",
    );
    expect(jobSizeRefusal({ ...upscale, options: { task: 'upscale', scale: 4 } }, () => ({ target: 4, model: 4 }), 4 * GB)).toBeUndefined();
  });

  it('refuses a side wider than the protocol carries, and lets find-defects (a one-channel mask) through', () => {
    const wide: JobRequestHeader = { options: { task: 'upscale' }, image: { width: 20000, height: 100, channels: 3, bitDepth: 8, maxValue: 255 } };
    expect(jobSizeRefusal(wide, () => ({ target: 4, model: 4 }), 64 * GB)).toBe(
      'the result would be 80000×400 RGB 8-bit, but a side may be at most 65536 px: select a part, or choose a smaller scale',
    );
    expect(jobSizeRefusal({ options: { task: 'find-defects', sensitivity: 0.5 }, image: rgba16(30000) }, () => ({ target: 1, model: 1 }), 64 * GB)).toBeUndefined();
  });
});

describe('job size limits of detail strength, the map of invented detail and compare jobs', () => {
  const photo = { width: 4000, height: 4000, channels: 3 as const, bitDepth: 8 as const, maxValue: 255 };
  const x4 = () => ({ target: 4, model: 4 });

  it('counts the fidelity base, the mix and the map, and says to go without them', () => {
    // ×4 of 4000² RGB is 0.8 GB; at detail 1 the job holds 2.3 GB with the engine, which a 4 GB machine (3 GB for a job) has.
    expect(jobSizeRefusal({ options: { task: 'upscale' }, image: photo }, x4, 4 * GB)).toBeUndefined();
    // At another strength the model's output, the base and their mix are held whole too: 4.6 GB.
    expect(jobSizeRefusal({ options: { task: 'upscale', detail: 0.5 }, image: photo }, x4, 4 * GB)).toBe(
      "the result would be 16000×16000 RGB 8-bit (0.8 GB; 4.6 GB while it runs, as the fidelity base is made too), more than this machine's memory (4.0 GB) allows: select a part, choose a smaller scale, or use detail 1",
    );
    expect(jobSizeRefusal({ options: { task: 'upscale', detail: 0.5 }, image: photo }, x4, 8 * GB)).toBeUndefined();
    // The map adds its byte per output pixel and a float per input pixel: 4.9 GB, more than 3/4 of 6 GB.
    expect(jobSizeRefusal({ options: { task: 'upscale', detail: 0.5, inventedDetailMap: true }, image: photo }, x4, 6 * GB)).toBe(
      "the result would be 16000×16000 RGB 8-bit (0.8 GB; 4.9 GB while it runs, as the fidelity base is made too), more than this machine's memory (6.0 GB) allows: select a part, choose a smaller scale, or use detail 1 without the map of invented detail",
    );
    // The map alone needs the base too, but no mix of the two.
    expect(jobSizeRefusal({ options: { task: 'upscale', inventedDetailMap: true }, image: photo }, x4, 4 * GB)).toBe(
      "the result would be 16000×16000 RGB 8-bit (0.8 GB; 4.2 GB while it runs, as the fidelity base is made too), more than this machine's memory (4.0 GB) allows: select a part, choose a smaller scale, or leave out the map of invented detail",
    );
  });

  it('counts every variant of a compare job, and the largest working set of one variant at a time', () => {
    const variants = [{ task: 'upscale' as const }, { task: 'upscale' as const, model: 'other' }, { task: 'upscale' as const, detail: 2 }];
    expect(jobSizeRefusal({ options: { task: 'compare', variants }, image: photo }, x4, 6 * GB)).toBe(
      "the 3 variants would each be 16000×16000 RGB 8-bit (2.3 GB in all; 6.2 GB while it runs, as the fidelity base is made too), more than this machine's memory (6.0 GB) allows: select a part, choose a smaller scale, compare fewer variants, or use detail 1",
    );
    expect(jobSizeRefusal({ options: { task: 'compare', variants: variants.slice(0, 2) }, image: photo }, x4, 6 * GB)).toBeUndefined();
    // Two restores of a 3.2 GB image hold 6.4 GB of results, where one fits (above).
    const restores = { task: 'compare' as const, variants: [{ task: 'restore' as const }, { task: 'restore' as const, model: 'other' }] };
    expect(jobSizeRefusal({ options: restores, image: rgba16(20000) }, () => ({ target: 1, model: 1 }), 12 * GB)).toBe(
      "the 2 variants would each be 20000×20000 RGBA 16-bit (6.4 GB in all), more than this machine's memory (12.0 GB) allows: select a part, or compare fewer variants",
    );
  });
});

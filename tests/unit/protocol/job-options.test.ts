import { describeIssues, jobRequestHeaderSchema, RESTORE_ROLES } from '../../../native-helper/src/protocol';

const image = { width: 8, height: 8, channels: 3, bitDepth: 8, maxValue: 255 } as const;

/** What the helper answers to a job request header: its options, or the message of its refusal. */
function check(options: object): object | string {
  const parsed = jobRequestHeaderSchema.safeParse({ options, image });
  return parsed.success ? parsed.data.options : describeIssues(parsed.error);
}

describe('restore job options', () => {
  it('ask for a model, or for a problem by its role', () => {
    expect(check({ task: 'restore', model: 'waifu2x-cunet-noise2' })).toEqual({ task: 'restore', model: 'waifu2x-cunet-noise2' });
    for (const role of RESTORE_ROLES) expect(check({ task: 'restore', role })).toEqual({ task: 'restore', role });
  });

  it('are refused when they name a model and a role together, or a role Mend does not have', () => {
    expect(check({ task: 'restore', model: 'maxim-deblur', role: 'lowlight' })).toBe(
      'options.role: name a model or a role, not both: the role stands for the catalog’s model of that role',
    );
    expect(check({ task: 'restore', role: 'sharpen' })).toMatch(/^options\.role: /);
  });
});

describe('face job options', () => {
  it('find faces, and restore all of them or the chosen boxes at a strength of 1 unless told', () => {
    expect(check({ task: 'find-faces' })).toEqual({ task: 'find-faces' });
    expect(check({ task: 'restore-faces' })).toEqual({ task: 'restore-faces', strength: 1 });
    const box = { x: 10, y: 20, width: 30, height: 30 };
    expect(check({ task: 'restore-faces', faces: [box], model: 'tiny-gfpgan', strength: 0.5 })).toEqual({
      task: 'restore-faces',
      faces: [box],
      model: 'tiny-gfpgan',
      strength: 0.5,
    });
  });

  it('refuse a strength outside 0..1, an empty list of faces and a box of no size', () => {
    expect(check({ task: 'restore-faces', strength: 1.5 })).toMatch(/strength/);
    expect(check({ task: 'restore-faces', faces: [] })).toMatch(/faces/);
    expect(check({ task: 'restore-faces', faces: [{ x: 0, y: 0, width: 0, height: 5 }] })).toMatch(/faces\.0\.width/);
  });
});

describe('precision of upscale and restore jobs', () => {
  it('is fp32, int8 or fp16, in compare variants too; absent means fp32 to the helper', () => {
    for (const precision of ['fp32', 'int8', 'fp16']) {
      expect(check({ task: 'upscale', precision })).toEqual({ task: 'upscale', precision });
      expect(check({ task: 'restore', role: 'deblur', precision })).toEqual({ task: 'restore', role: 'deblur', precision });
    }
    const variants = [
      { task: 'upscale', model: 'a', precision: 'fp32' },
      { task: 'upscale', model: 'a', precision: 'int8' },
    ];
    expect(check({ task: 'compare', variants })).toEqual({ task: 'compare', variants });
  });

  it('refuses any other precision', () => {
    expect(check({ task: 'upscale', precision: 'int4' })).toMatch(/^options\.precision: /);
    expect(check({ task: 'restore', precision: 'FP32' })).toMatch(/^options\.precision: /);
  });
});

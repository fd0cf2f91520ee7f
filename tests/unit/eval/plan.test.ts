import { openCatalog } from '../../../native-helper/src/app';
import { DEGRADATIONS } from '../../../native-helper/src/eval/degradations';
import { fullPlan, quickPlan } from '../../../native-helper/src/eval/plan';
import { MendError } from '../../../native-helper/src/errors';

const stepOf = (id: string) => {
  const step = fullPlan().steps.find((s) => s.degradation.id === id);
  if (!step) throw new Error(`no step for ${id}`);
  return { baselines: step.baselines.map((b) => b.id), models: step.models, images: step.images.map((i) => i.domain) };
};

describe('evaluation plan', () => {
  it('runs every degradation once, each model of the catalog that is planned', async () => {
    const plan = fullPlan();
    expect(plan.steps.map((s) => s.degradation.id)).toEqual(DEGRADATIONS.map((d) => d.id));
    const catalog = await openCatalog(undefined);
    for (const step of plan.steps) for (const model of step.models) expect(catalog.get(model).id).toBe(model);
  });

  it('gives each camera degradation its classical baselines and the MAXIM models trained for it, on the 4 photos', () => {
    expect(stepOf('motion-linear')).toEqual({ baselines: ['identity', 'richardson-lucy', 'unsharp-mask'], models: ['maxim-deblur'], images: Array(4).fill('photo') });
    expect(stepOf('motion-shake')).toMatchObject({ baselines: ['identity', 'richardson-lucy', 'unsharp-mask'], models: ['maxim-deblur'] });
    expect(stepOf('noise-camera')).toMatchObject({ baselines: ['identity', 'non-local-means'], models: ['waifu2x-cunet-noise3', 'maxim-denoise'] });
    expect(stepOf('lowlight-2ev')).toMatchObject({ baselines: ['identity', 'auto-levels'], models: ['maxim-lowlight', 'maxim-retouch'] });
    expect(stepOf('haze')).toMatchObject({ baselines: ['identity', 'auto-levels'], models: ['maxim-dehaze-outdoor', 'maxim-dehaze-indoor'] });
    expect(stepOf('bicubic-x4')).toMatchObject({ baselines: ['identity', 'bicubic', 'lanczos'] });
  });

  it('runs only the degradations named, in the evaluation’s order, and names the known ones when one is not', () => {
    expect(fullPlan(['haze', 'motion-linear']).steps.map((s) => s.degradation.id)).toEqual(['motion-linear', 'haze']);
    let refusal: unknown;
    try {
      fullPlan(['haze', 'fog']);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(MendError);
    expect(refusal).toMatchObject({ code: 'bad_usage', message: expect.stringMatching(/unknown degradation fog; the degradations are bicubic-x2, .*noise-camera/) });
  });

  it('keeps the quick run quick: one small image, one fast model, no MAXIM', () => {
    const [step, ...rest] = quickPlan().steps;
    expect(rest).toEqual([]);
    expect(step.images).toHaveLength(1);
    expect(step.models).toEqual(['esrgan-slim-x2']);
    expect(step.baselines.map((b) => b.id)).toEqual(['identity', 'bicubic', 'lanczos']);
  });
});

import { describeOnSwiftShader } from './swiftshader';
import { compareFamily, FAMILIES, TOLERANCE } from './families';

// The families are split over three files so that jest's workers run them side by side (`FamilyModel.part`).
describeOnSwiftShader('shipped families on WebGPU (SwiftShader) against the CPU provider, part 3 of 3', () => {
  it.each(FAMILIES.filter((m) => m.part === 3).map((m) => [m.family, m] as const))(
    '%s',
    async (_, model) => {
      const result = await compareFamily(model);
      expect(result.provider).toBe('webgpu');
      expect(result.maxDiff).toBeLessThanOrEqual(TOLERANCE);
      console.log(
        `${model.family} ${model.side ? `${model.side}²` : 'fixed input'}: max diff ${result.maxDiff.toExponential(1)}, CPU ${Math.round(result.cpuMs)} ms, WebGPU ${Math.round(result.webgpuMs)} ms`,
      );
    },
    600_000,
  );
});

/**
 * Five tiers, each a jest project (`npm run test:<tier>`; `npm test` runs them all). What a tier may use is
 * what keeps it fast: unit tests need neither built code nor prepared models.
 */
const base = {
  testEnvironment: '<rootDir>/tests/node-environment.js',
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    // Type checking is `npm run typecheck`'s job; here each file is only transpiled.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  // The panel's Photoshop host runs in tests over in-memory fakes of the modules Photoshop provides.
  moduleNameMapper: {
    '^photoshop$': '<rootDir>/tests/fakes/photoshop/index.ts',
    '^uxp$': '<rootDir>/tests/fakes/photoshop/uxp.ts',
    '^@mend/protocol$': '<rootDir>/native-helper/src/protocol/index.ts',
  },
};

/** Tiers that run built JavaScript (worker threads, `bin/mend.js`, the panel bundle) rebuild it first when stale. */
const builtCode = { globalSetup: '<rootDir>/tests/setup/rebuild-stale.ts' };

/** @type {import('jest').Config} */
module.exports = {
  testTimeout: 60000,
  projects: [
    { ...base, displayName: 'unit', roots: ['<rootDir>/tests/unit'] },
    // The real helper with real models: the shipped ones `npm ci` prepared, and tiny ones the tests build.
    { ...base, ...builtCode, displayName: 'integration', roots: ['<rootDir>/tests/integration'] },
    // Our converted models against the engines their weights were made for (ncnn on Vulkan, TF.js).
    { ...base, ...builtCode, displayName: 'parity', roots: ['<rootDir>/tests/parity'] },
    // onnxruntime's WebGPU provider on SwiftShader (a software Vulkan GPU): each shipped family against the CPU
    // provider, and the paths only GPUs take. Slow by nature (a 16² tile takes seconds), so the inputs are tiny.
    { ...base, ...builtCode, displayName: 'webgpu', roots: ['<rootDir>/tests/webgpu'] },
    // The built panel bundle in jsdom against a real helper.
    { ...base, ...builtCode, displayName: 'e2e', roots: ['<rootDir>/tests/e2e'] },
  ],
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/tests/node-environment.js',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    // Type checking is `npm run typecheck`'s job; here each file is only transpiled.
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }],
  },
  testTimeout: 60000,
  // The panel's Photoshop host runs in tests over in-memory fakes of the modules Photoshop provides.
  moduleNameMapper: {
    '^photoshop$': '<rootDir>/tests/fakes/photoshop/index.ts',
    '^uxp$': '<rootDir>/tests/fakes/photoshop/uxp.ts',
    '^@mend/protocol$': '<rootDir>/native-helper/src/protocol/index.ts',
  },
};

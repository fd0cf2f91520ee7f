/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/tests/node-environment.js',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    // Type checking is `npm run typecheck`'s job; here each file is only transpiled.
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, tsconfig: { jsx: 'react-jsx', module: 'commonjs', target: 'es2022', esModuleInterop: true } }],
  },
  testTimeout: 60000,
};

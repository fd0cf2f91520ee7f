const path = require('node:path');
const CopyPlugin = require('copy-webpack-plugin');

/** Builds the UXP panel into dist/plugin; `photoshop` and `uxp` are provided by the host at run time. */
module.exports = {
  entry: './plugin/src/index.tsx',
  target: 'web',
  devtool: false,
  // Written on every build, even unchanged, so its time says when it was built: the tests rebuild a bundle older
  // than its sources (tests/setup/rebuild-stale.ts).
  output: { path: path.resolve(__dirname, 'dist/plugin'), filename: 'index.js', clean: true, compareBeforeEmit: false },
  resolve: {
    extensions: ['.tsx', '.ts', '.js'],
    // The one module both sides share: the wire types (and the grain's seeded generator).
    alias: { '@mend/protocol': path.resolve(__dirname, 'native-helper/src/protocol/index.ts') },
  },
  module: {
    rules: [{ test: /\.tsx?$/, loader: 'ts-loader', options: { configFile: path.resolve(__dirname, 'plugin/tsconfig.json'), transpileOnly: true } }],
  },
  externals: { photoshop: 'commonjs2 photoshop', uxp: 'commonjs2 uxp' },
  plugins: [new CopyPlugin({ patterns: [{ from: 'manifest.json' }, { from: 'plugin/index.html' }, { from: 'plugin/icons/*.png', to: 'icons/[name][ext]' }] })],
  performance: { hints: false },
};

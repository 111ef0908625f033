/** Tests run with TZ=UTC so nothing depends on the machine's zone; zone-sensitive suites pass zones explicitly. */
process.env.TZ = 'UTC';
const fs = require('node:fs');
const path = require('node:path');

/**
 * TEST_DATABASES=none (`npm run test:unit`): only the test files that need no database and start no
 * process, found by what they import; no global setup (no build, no SQLite template, no PostgreSQL).
 * A file that needs one anyway fails there, naming the missing setup.
 */
const NEEDS_DATABASE = new RegExp(
  [
    'support/(databases|global-setup|build-once)', // the suites' databases, the build
    'e2e/process-support|transfer/cli-run|child_process', // processes
    'openStore|store/(store|migrate|client)\\b|createServeCommand|file:\\$\\{', // a database of its own
    'CK_TEST_DIR', // the global setup's folder
  ].join('|'),
);
function unitTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return unitTests(file);
    return entry.name.endsWith('.test.ts') && !NEEDS_DATABASE.test(fs.readFileSync(file, 'utf8')) ? [file] : [];
  });
}
const unit = process.env.TEST_DATABASES === 'none';

module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  ...(unit
    ? { testRegex: unitTests(path.join(__dirname, 'test')).map((file) => `^${file.replace(/[.+^${}()|[\]\\]/g, '\\$&')}$`) }
    : { testMatch: ['**/*.test.ts'] }),
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // Prisma's WebAssembly schema engine ships its bindings as an ES module; Node loads it with
    // require(esm), jest's module registry cannot, so jest transpiles that one file to CommonJS.
    'schema_engine_bg\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@prisma/schema-engine-wasm/)'],
  ...(unit ? {} : { globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' }),
  testTimeout: 30000,
};

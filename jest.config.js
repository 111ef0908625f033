/** Tests run with TZ=UTC so nothing depends on the machine's zone; zone-sensitive suites pass zones explicitly. */
process.env.TZ = 'UTC';
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    // Prisma's WebAssembly schema engine ships its bindings as an ES module; Node loads it with
    // require(esm), jest's module registry cannot, so jest transpiles that one file to CommonJS.
    'schema_engine_bg\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!@prisma/schema-engine-wasm/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
};

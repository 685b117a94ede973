/** Unit specs sit beside the code; end-to-end specs are under test/. */
module.exports = {
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  testRegex: '(apps|libs|test)/.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', { diagnostics: false }],
    // otplib 13 depends on @scure/base and @noble/hashes, which ship only as ES
    // modules, and Jest's CommonJS runtime cannot load them untransformed.
    '^.+/node_modules/@(scure|noble)/.+\\.js$': [
      'ts-jest',
      { diagnostics: false, tsconfig: { allowJs: true, module: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@(scure|noble)/)'],
  moduleNameMapper: {
    '^@app/contract(|/.*)$': '<rootDir>/libs/contract/src$1',
    '^@app/database(|/.*)$': '<rootDir>/libs/database/src$1',
    '^@app/common(|/.*)$': '<rootDir>/libs/common/src$1',
  },
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  verbose: false,
};

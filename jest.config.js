/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "<rootDir>/tests/node-environment.js",
  roots: ["<rootDir>/tests"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  testTimeout: 120000,
  // Integration tests share built contract models under a cache dir; keep CI's 2 vCPUs from thrashing.
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
};

// Three projects, run together by `npm test` (and one at a time with `npx jest --selectProjects unit`):
//   unit        pure functions and single modules, no daemon, no browser;
//   integration the real helper on a free port, the CLI from dist/, contract models built into .cache/;
//   browser     the panel harness in Chromium (playwright-core, no downloaded browser).
// A test gets 30 s; the few files measured to need more are listed, with their figures, in tests/timeouts.js.
const shared = {
  rootDir: __dirname,
  testEnvironment: "<rootDir>/tests/node-environment.js",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFilesAfterEnv: ["<rootDir>/tests/timeouts.js"],
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...shared, displayName: "unit", roots: ["<rootDir>/tests/unit"], testMatch: ["**/*.test.ts"] },
    { ...shared, displayName: "integration", roots: ["<rootDir>/tests/integration"], testMatch: ["**/*.test.ts"] },
    { ...shared, displayName: "browser", roots: ["<rootDir>/tests/browser"], testMatch: ["**/*.test.ts"] },
  ],
  testTimeout: 30000,
  // Integration tests share built contract models under a cache dir; keep CI's 2 vCPUs from thrashing.
  maxWorkers: 2,
  reporters: ["default", "<rootDir>/tests/summary-reporter.js"],
};

// Prints one plain closing line, "Tests: N passed, N failed, N skipped", after Jest's own summary, so tools that
// read a run's last line (CI) can count it without knowing Jest's format.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } = results;
    // a suite that failed to load counts as a failure even though none of its tests ran
    const failed = numFailedTests + numRuntimeErrorTestSuites;
    process.stdout.write(
      `\nTests: ${numPassedTests} passed, ${failed} failed, ${numPendingTests + numTodoTests} skipped\n`,
    );
  }
}
module.exports = SummaryReporter;

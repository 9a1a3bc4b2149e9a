// Preloaded (`node -r`) into a real `cuesmith serve` by the process-guard test. It plants two faults of the kind
// only a bug could cause, so the test can check that the daemon survives them: GET /report throws from a timer
// (an uncaught exception), and WebSocket feedback leaves a rejected promise unhandled. Test use only.
"use strict";
const path = require("node:path");

const { HelperContext } = require(path.join(__dirname, "..", "..", "dist", "helper", "server", "context.js"));

HelperContext.prototype.report = function () {
  setImmediate(() => {
    throw new Error("injected fault: report");
  });
  return new Promise(() => {});
};

HelperContext.prototype.recordFeedback = function () {
  Promise.reject(new Error("injected fault: feedback"));
  return new Promise(() => {});
};

#!/usr/bin/env node
"use strict";
// The CLI is compiled TypeScript (npm run build, run by `prepare` on install).
let main;
try {
  ({ main } = require("../dist/helper/cli/main.js"));
} catch (err) {
  if (err && err.code === "MODULE_NOT_FOUND") {
    console.error("cuesmith: not built yet; run `npm run build` in the project folder");
    process.exit(2);
  }
  throw err;
}
main(process.argv.slice(2)).then(
  (code) => process.exit(code ?? 0),
  (err) => {
    console.error(`cuesmith: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);

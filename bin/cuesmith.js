#!/usr/bin/env node
"use strict";
// The CLI is compiled TypeScript (npm run build, run by `prepare` on install).
const fs = require("node:fs");
const path = require("node:path");

const entry = path.join(__dirname, "..", "dist", "helper", "cli", "main.js");
if (!fs.existsSync(entry)) {
  console.error("cuesmith: not built yet; run `npm run build` in the project folder");
  process.exit(2);
}
require(entry)
  .main(process.argv.slice(2))
  .then(
    (code) => process.exit(code ?? 0),
    (err) => {
      console.error(`cuesmith: ${err && err.message ? err.message : err}`);
      process.exit(1);
    },
  );

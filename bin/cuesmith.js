#!/usr/bin/env node
"use strict";
// The CLI is compiled TypeScript: a checkout builds it with `npm run build` (scripts/setup.sh runs it; there is no
// `prepare` script), and the packed package ships it built (`prepack`).
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

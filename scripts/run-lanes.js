#!/usr/bin/env node
// Runs npm scripts in parallel lanes: `node scripts/run-lanes.js "build:plugin typecheck" "build:helper lint"` runs
// each quoted lane's scripts one after another, and the lanes side by side. `npm test` uses it for the build and
// the checks, which are single-threaded tools (tsc, webpack, ESLint, Prettier): two lanes keep both CPUs of a small
// CI machine busy instead of one. Each script's output is printed whole when it ends, so lanes never interleave
// lines; the exit code is the first failure's, after every lane has stopped (a failed script ends its own lane only).
// Plain Node, no shell syntax, so it runs the same under cmd.exe, PowerShell and sh.
"use strict";
const { spawn } = require("node:child_process");

/** Runs `npm run <script>` and resolves with its exit code and combined output. */
function runScript(script) {
  // inside `npm run`, npm_execpath is npm's own CLI: run it with this Node, which needs no shell on Windows
  const npmCli = process.env.npm_execpath;
  const [command, args, shell] = npmCli
    ? [process.execPath, [npmCli, "run", "--silent", script], false]
    : ["npm", ["run", "--silent", script], process.platform === "win32"];
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { shell, stdio: ["ignore", "pipe", "pipe"] });
    const chunks = [];
    child.stdout.on("data", (c) => chunks.push(c));
    child.stderr.on("data", (c) => chunks.push(c));
    child.on("error", (err) => chunks.push(Buffer.from(`${err.message}\n`)));
    child.on("close", (code) => {
      resolve({ code: code ?? 1, output: Buffer.concat(chunks).toString(), seconds: (Date.now() - started) / 1000 });
    });
  });
}

async function runLane(scripts) {
  for (const script of scripts) {
    const { code, output, seconds } = await runScript(script);
    const status = code === 0 ? "ok" : `failed (exit ${code})`;
    process.stdout.write(`\n> ${script}: ${status}, ${seconds.toFixed(1)} s\n${output}`);
    if (code !== 0) return code;
  }
  return 0;
}

async function main() {
  const lanes = process.argv.slice(2).map((lane) => lane.split(/\s+/).filter(Boolean));
  if (lanes.length === 0 || lanes.some((lane) => lane.length === 0)) {
    process.stderr.write('usage: node scripts/run-lanes.js "script script ..." ["script ..." ...]\n');
    process.exit(2);
  }
  const codes = await Promise.all(lanes.map(runLane));
  process.exit(codes.find((code) => code !== 0) ?? 0);
}

main();

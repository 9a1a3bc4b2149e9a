/**
 * Builds the Premiere Pro UXP panel into plugin/dist:
 *   index.js       the bundle (entry plugin/ui/index.tsx, ts-loader with plugin/tsconfig.json)
 *   index.html     copied from plugin/index.html
 *   manifest.json  copied from plugin/manifest.json, its version set from package.json
 * `uxp`, `premierepro`, `fs` and `os` are UXP's own modules: left as `require(...)` calls (externals).
 *
 *   npx webpack --config plugin/webpack.config.js --mode production
 *   node scripts/package-plugin.js      # zips plugin/dist into plugin/dist/cuesmith.ccx
 *
 * A second build writes the browser harness (the same panel on FakeHost, served by the helper at /ui/) into
 * plugin/dist-harness: harness.js and index.html.
 */
const fs = require("fs");
const path = require("path");
const webpack = require("webpack");

const pkg = require("../package.json");

const PLUGIN_DIR = __dirname;
const CACHE_DIR = path.join(PLUGIN_DIR, "..", ".cache", "webpack");
const DIST_DIR = path.join(PLUGIN_DIR, "dist");
const HARNESS_DIST_DIR = path.join(PLUGIN_DIR, "dist-harness");
const MANIFEST = path.join(PLUGIN_DIR, "manifest.json");
const INDEX_HTML = path.join(PLUGIN_DIR, "index.html");
/** Optional extra files copied as they are when present (e.g. icons/). */
const EXTRA_DIRS = ["icons"];

/** Emits manifest.json (with package.json's version) and index.html next to the bundle; no extra packages. */
class CopyPluginFiles {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("CuesmithCopyPluginFiles", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "CuesmithCopyPluginFiles", stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          const { RawSource } = webpack.sources;
          // `minimized: true`: copied byte for byte (production mode would otherwise minify the HTML).
          const asIs = { minimized: true };
          const manifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8"));
          manifest.version = pkg.version;
          compilation.emitAsset("manifest.json", new RawSource(`${JSON.stringify(manifest, null, 2)}\n`), asIs);
          compilation.emitAsset("index.html", new RawSource(fs.readFileSync(INDEX_HTML)), asIs);
          compilation.fileDependencies.add(MANIFEST);
          compilation.fileDependencies.add(INDEX_HTML);
          for (const dir of EXTRA_DIRS) {
            const from = path.join(PLUGIN_DIR, dir);
            if (!fs.existsSync(from)) continue;
            for (const file of fs.readdirSync(from, { recursive: true })) {
              const full = path.join(from, String(file));
              if (!fs.statSync(full).isFile()) continue;
              compilation.emitAsset(
                `${dir}/${String(file).split(path.sep).join("/")}`,
                new RawSource(fs.readFileSync(full)),
                asIs,
              );
              compilation.fileDependencies.add(full);
            }
          }
        },
      );
    });
  }
}

/** Copies the harness page next to its bundle. */
class CopyHarnessPage {
  apply(compiler) {
    compiler.hooks.thisCompilation.tap("CuesmithCopyHarnessPage", (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: "CuesmithCopyHarnessPage", stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          const page = path.join(PLUGIN_DIR, "harness", "index.html");
          compilation.emitAsset("index.html", new webpack.sources.RawSource(fs.readFileSync(page)), {
            minimized: true,
          });
          compilation.fileDependencies.add(page);
        },
      );
    });
  }
}

module.exports = (_env, argv = {}) => {
  const production = argv.mode !== "development";
  const panel = bundle(
    production,
    path.join(PLUGIN_DIR, "ui", "index.tsx"),
    DIST_DIR,
    "index.js",
    new CopyPluginFiles(),
  );
  const harness = bundle(
    production,
    path.join(PLUGIN_DIR, "harness", "index.tsx"),
    HARNESS_DIST_DIR,
    "harness.js",
    new CopyHarnessPage(),
  );
  return [panel, harness];
};

function bundle(production, entry, outDir, filename, copyPlugin) {
  return {
    name: path.basename(outDir),
    mode: production ? "production" : "development",
    context: PLUGIN_DIR,
    target: "web",
    entry,
    output: {
      path: outDir,
      filename,
      clean: true,
    },
    // UXP has no eval-based source maps; keep production lean.
    devtool: production ? false : "cheap-source-map",
    externalsType: "commonjs",
    externals: {
      uxp: "commonjs uxp",
      premierepro: "commonjs premierepro",
      fs: "commonjs fs",
      os: "commonjs os",
    },
    resolve: {
      extensions: [".tsx", ".ts", ".js"],
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          use: {
            loader: "ts-loader",
            // Transpile only: `npm run typecheck` checks the panel's types once (plugin/tsconfig.json), instead of
            // each of the two bundles checking them again; isolatedModules makes file-by-file output safe.
            options: { configFile: path.join(PLUGIN_DIR, "tsconfig.json"), transpileOnly: true },
          },
        },
        {
          // No style-loader here (no extra packages): `import css from "./panel.css"` gives the text, to put in a <style>.
          test: /\.css$/,
          type: "asset/source",
        },
      ],
    },
    plugins: [copyPlugin],
    // Modules kept between builds (.cache/webpack), so a rebuild after a small change redoes only that change.
    cache: {
      type: "filesystem",
      cacheDirectory: CACHE_DIR,
      name: `${path.basename(outDir)}-${production ? "production" : "development"}`,
      buildDependencies: { config: [__filename, path.join(PLUGIN_DIR, "tsconfig.json")] },
    },
    performance: { hints: false },
    stats: "errors-warnings",
  };
}

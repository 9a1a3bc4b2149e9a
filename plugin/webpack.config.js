/**
 * Builds the Premiere Pro UXP panel into plugin/dist:
 *   index.js       the bundle (entry plugin/ui/index.tsx, ts-loader with plugin/tsconfig.json)
 *   index.html     copied from plugin/index.html
 *   manifest.json  copied from plugin/manifest.json, its version set from package.json
 * `uxp`, `premierepro`, `fs` and `os` are UXP's own modules: left as `require(...)` calls (externals).
 *
 *   npx webpack --config plugin/webpack.config.js --mode production
 *   node scripts/package-plugin.js      # zips plugin/dist into plugin/dist/cuesmith.ccx
 */
const fs = require("fs");
const path = require("path");
const webpack = require("webpack");

const pkg = require("../package.json");

const PLUGIN_DIR = __dirname;
const DIST_DIR = path.join(PLUGIN_DIR, "dist");
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
              compilation.emitAsset(`${dir}/${String(file).split(path.sep).join("/")}`, new RawSource(fs.readFileSync(full)), asIs);
              compilation.fileDependencies.add(full);
            }
          }
        },
      );
    });
  }
}

module.exports = (_env, argv = {}) => {
  const production = argv.mode !== "development";
  return {
    mode: production ? "production" : "development",
    context: PLUGIN_DIR,
    target: "web",
    entry: path.join(PLUGIN_DIR, "ui", "index.tsx"),
    output: {
      path: DIST_DIR,
      filename: "index.js",
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
            options: { configFile: path.join(PLUGIN_DIR, "tsconfig.json") },
          },
        },
        {
          // No style-loader here (no extra packages): `import css from "./panel.css"` gives the text, to put in a <style>.
          test: /\.css$/,
          type: "asset/source",
        },
      ],
    },
    plugins: [new CopyPluginFiles()],
    performance: { hints: false },
    stats: "errors-warnings",
  };
};

// The built panel against the HTML/CSS constructs Adobe lists as unsupported in UXP (plugin/uxp-unsupported.ts):
// plugin/dist/index.html (and its inline <style>) and the CSS the bundle injects (plugin/ui/panel.css, read back
// out of plugin/dist/index.js to make sure it is the built one).
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";

import { UXP_TAGS_NEEDING_STYLE, UXP_UNSUPPORTED } from "../../plugin/uxp-unsupported";

const ROOT = resolve(__dirname, "..", "..");
const DIST = join(ROOT, "plugin", "dist");

/** CSS with comments removed (a comment may name a construct to say it is avoided). */
const stripComments = (css: string) => css.replace(/\/\*[\s\S]*?\*\//g, "");

function builtCss(): string {
  const source = readFileSync(join(ROOT, "plugin", "ui", "panel.css"), "utf8");
  const bundle = readFileSync(join(DIST, "index.js"), "utf8");
  // The bundle holds the stylesheet as a string literal: every rule's selector must be in it.
  const firstRule = stripComments(source).trim().split("{")[0].trim();
  expect(bundle).toContain(firstRule);
  return stripComments(source);
}

function builtHtml(): { html: string; css: string } {
  const html = readFileSync(join(DIST, "index.html"), "utf8");
  const css = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/gi)].map((m) => stripComments(m[1])).join("\n");
  return { html: html.replace(/<!--[\s\S]*?-->/g, ""), css };
}

describe("the built panel uses nothing UXP lacks", () => {
  beforeAll(() => {
    if (!existsSync(join(DIST, "index.js")))
      throw new Error(`${DIST} has no built panel: run \`npm run build:plugin\` first.`);
  });

  it("keeps the list with its sources", () => {
    for (const entry of UXP_UNSUPPORTED)
      expect(entry.source).toMatch(/^https:\/\/developer\.adobe\.com\/|premiere-uxp\.md/);
    // the constructs the issue names come from Adobe's own pages
    for (const id of ["data-attribute-selector", "disabled-on-non-input", "title"]) {
      expect(UXP_UNSUPPORTED.find((e) => e.id === id)?.source).toMatch(/^https:\/\/developer\.adobe\.com\//);
    }
  });

  it("finds every listed construct in a sample that has them (the patterns work)", () => {
    const css =
      '.row[data-status="x"] { float: left; } button:disabled { font: 12px x; transition: none; } @font-face {} .g { display: grid; } @keyframes k {}';
    const html = "<title>x</title><iframe></iframe><canvas></canvas><input type=file>";
    const hits = UXP_UNSUPPORTED.filter((e) => e.pattern.test(e.in === "css" ? css : html)).map((e) => e.id);
    expect(hits.sort()).toEqual(UXP_UNSUPPORTED.map((e) => e.id).sort());
    // and leaves what UXP supports alone
    const fine =
      "input:disabled { color: red; } button.cta.disabled { color: grey; } .x { font-size: 12px; font-weight: 700; }";
    expect(UXP_UNSUPPORTED.filter((e) => e.in === "css" && e.pattern.test(fine)).map((e) => e.id)).toEqual([]);
  });

  it("has none of them in its CSS or HTML", () => {
    const { html, css: inline } = builtHtml();
    const css = `${builtCss()}\n${inline}`;
    const found = UXP_UNSUPPORTED.filter((e) => e.pattern.test(e.in === "css" ? css : html)).map(
      (e) => `${e.id}: ${e.why} (${e.source})`,
    );
    expect(found).toEqual([]);
  });

  it("styles the typography tags it uses explicitly", () => {
    const css = builtCss();
    for (const tag of UXP_TAGS_NEEDING_STYLE)
      expect(css).toMatch(new RegExp(`(^|[\\s,}])${tag}\\s*[,{][^}]*font-weight`, "m"));
  });
});

/**
 * The HTML and CSS constructs Adobe lists as unsupported (or not applied) in UXP, in one place, each with where
 * Adobe says so. tests/unit/plugin-uxp-css.test.ts scans the built panel (plugin/dist/index.html and the CSS the
 * bundle injects) for every entry. Add to this list when Adobe's pages or a first load in Premiere show another.
 *
 * Sources:
 * - UNSUPPORTED: "What's Unsupported in UXP", https://developer.adobe.com/photoshop/uxp/guides/uxp_guide/unsupported/
 *   (data attributes and font-face, CSS float, iFrames, HTML5 canvas, window.location).
 * - DISABLED: ":disabled", https://developer.adobe.com/photoshop/uxp/2021/uxp/reference-css/Pseudo-classes/disabled
 *   ("Only works for <input>s").
 * - UNSUPPORTED_ELEMENTS: "Unsupported Elements",
 *   https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-html/General/Unsupported%20Elements/
 *   (`<title>` may make itself visible inside the plugin; typography tags such as `<strong>` need CSS).
 * - The project's UXP summary (/shared/reference/premiere-uxp.md): no `font` shorthand, no transitions or
 *   animations, no grid. Not confirmed on an Adobe page found while writing this list: kept because they cost
 *   nothing to avoid.
 */
export interface UxpUnsupported {
  id: string;
  /** Where to look: the panel's CSS, or its HTML document. */
  in: "css" | "html";
  pattern: RegExp;
  why: string;
  source: string;
}

const UNSUPPORTED = "https://developer.adobe.com/photoshop/uxp/guides/uxp_guide/unsupported/";
const DISABLED = "https://developer.adobe.com/photoshop/uxp/2021/uxp/reference-css/Pseudo-classes/disabled";
const UNSUPPORTED_ELEMENTS =
  "https://developer.adobe.com/photoshop/uxp/2022/uxp-api/reference-html/General/Unsupported%20Elements/";
const SUMMARY = "shared/reference/premiere-uxp.md (the project's UXP summary)";

export const UXP_UNSUPPORTED: readonly UxpUnsupported[] = [
  {
    id: "data-attribute-selector",
    in: "css",
    pattern: /\[data-[^\]]*\]/,
    why: "data attributes are unsupported: style with classes",
    source: UNSUPPORTED,
  },
  { id: "font-face", in: "css", pattern: /@font-face/i, why: "font-face is unsupported", source: UNSUPPORTED },
  {
    id: "float",
    in: "css",
    pattern: /(^|[;{\s])float\s*:/i,
    why: "CSS float is unsupported: use flexbox",
    source: UNSUPPORTED,
  },
  {
    id: "disabled-on-non-input",
    in: "css",
    pattern: /(^|[\s,}>+~])(?!input)[a-z.#][\w.#-]*:disabled/i,
    why: ':disabled only applies to <input>s: give buttons a "disabled" class',
    source: DISABLED,
  },
  {
    id: "font-shorthand",
    in: "css",
    pattern: /(^|[;{\s])font\s*:/i,
    why: "no `font` shorthand: set font-size / font-family / font-weight",
    source: SUMMARY,
  },
  {
    id: "transition",
    in: "css",
    pattern: /(^|[;{\s])transition(-[a-z]+)?\s*:/i,
    why: "no CSS transitions",
    source: SUMMARY,
  },
  {
    id: "animation",
    in: "css",
    pattern: /(^|[;{\s])animation(-[a-z]+)?\s*:|@keyframes/i,
    why: "no CSS animations",
    source: SUMMARY,
  },
  {
    id: "grid",
    in: "css",
    pattern: /display\s*:\s*(inline-)?grid/i,
    why: "no grid layout: use flexbox",
    source: SUMMARY,
  },
  {
    id: "title",
    in: "html",
    pattern: /<title[\s>]/i,
    why: "<title> renders inside the panel",
    source: UNSUPPORTED_ELEMENTS,
  },
  { id: "iframe", in: "html", pattern: /<iframe[\s>]/i, why: "iFrames are unsupported", source: UNSUPPORTED },
  { id: "canvas", in: "html", pattern: /<canvas[\s>]/i, why: "HTML5 canvas is unsupported", source: UNSUPPORTED },
  { id: "file-input", in: "html", pattern: /<input[^>]+type=["']?file/i, why: "no file inputs", source: SUMMARY },
];

/** Typography tags the panel uses that need an explicit style rule (UXP gives them none; UNSUPPORTED_ELEMENTS). */
export const UXP_TAGS_NEEDING_STYLE: readonly string[] = ["strong"];

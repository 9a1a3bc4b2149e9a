/**
 * FakePpro, an in-memory `premierepro` for tests and the browser harness: one module per API area (as Adobe's
 * samples split theirs), the module object in ./fake-ppro.
 */
export * from "./types";
export * from "./values";
export * from "./project-items";
export * from "./timeline";
export * from "./markers";
export * from "./sequence-editor";
export * from "./project";
export * from "./fake-ppro";
export * from "./components";

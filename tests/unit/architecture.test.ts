// The folders' dependency rule, checked on every import: `shared` <- `models` <- `helper`, `shared` <- `plugin`,
// `bench` on top; `shared` imports nothing outside itself (it also runs inside the panel), and no module reaches
// back to itself through a chain of imports. Imports are read with TypeScript's own pre-processor, so
// `import type`, `export … from` and `require()` all count.
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "../..");
const LAYERS = ["shared", "models", "helper", "plugin", "bench"] as const;
type Layer = (typeof LAYERS)[number];

/** Which top-level folders each folder may import from (its own included). */
const ALLOWED: Record<Layer, readonly string[]> = {
  shared: ["shared"],
  models: ["shared", "models"],
  helper: ["shared", "models", "helper"],
  plugin: ["shared", "plugin"],
  // bench may also time the tests' reference implementations (tests/helpers) against the product's
  bench: ["shared", "models", "helper", "bench", "tests"],
};

const SKIP_DIRS = new Set(["node_modules", "dist", "dist-harness"]);

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP_DIRS.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** The file a relative specifier names, as TypeScript and webpack resolve it; undefined for a non-source file. */
function resolveRelative(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, "index.ts"),
    path.join(base, "index.tsx"),
  ]) {
    if (/\.tsx?$/.test(candidate) && fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

const rel = (file: string) => path.relative(ROOT, file).split(path.sep).join("/");
const layerOf = (file: string) => rel(file).split("/")[0];

interface Edge {
  to: string;
  spec: string;
}

function buildGraph(): { graph: Map<string, Edge[]>; packages: Map<string, string[]> } {
  const graph = new Map<string, Edge[]>();
  const packages = new Map<string, string[]>();
  for (const layer of LAYERS) {
    for (const file of sourceFiles(path.join(ROOT, layer))) {
      const info = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
      const edges: Edge[] = [];
      const external: string[] = [];
      for (const { fileName: spec } of info.importedFiles) {
        if (!spec.startsWith(".")) {
          external.push(spec);
          continue;
        }
        const to = resolveRelative(file, spec);
        if (to) edges.push({ to, spec });
      }
      graph.set(file, edges);
      packages.set(file, external);
    }
  }
  return { graph, packages };
}

interface Cycle {
  /** One concrete way round: the shortest chain from the set's first module back to itself. */
  path: string[];
  /** Every module in the strongly connected set (a circle may pass through more modules than `path` shows). */
  members: string[];
}

/** Every strongly connected set of two or more modules (or one that imports itself). */
function findCycles(graph: Map<string, Edge[]>): Cycle[] {
  // Tarjan's algorithm; plain recursion is fine, import chains are a few dozen modules deep at most.
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const visit = (v: string) => {
    indexOf.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v) ?? []) {
      if (!indexOf.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(v, Math.min(low.get(v)!, indexOf.get(to)!));
      }
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      const selfLoop = (graph.get(v) ?? []).some((e) => e.to === v);
      if (component.length > 1 || selfLoop) components.push(component);
    }
  };
  for (const v of [...graph.keys()].sort()) if (!indexOf.has(v)) visit(v);
  // one concrete cycle per component: the shortest way back from its first module to itself
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0];
    const prev = new Map<string, string>();
    const queue = [start];
    const seen = new Set([start]);
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const { to } of graph.get(v) ?? []) {
        if (to === start) {
          const pathBack = [v];
          while (pathBack[0] !== start) pathBack.unshift(prev.get(pathBack[0])!);
          return { path: [...pathBack, start].map(rel), members: component.map(rel).sort() };
        }
        if (members.has(to) && !seen.has(to)) {
          seen.add(to);
          prev.set(to, v);
          queue.push(to);
        }
      }
    }
    return { path: [rel(start), rel(start)], members: [rel(start)] };
  });
}

describe("architecture", () => {
  const { graph, packages } = buildGraph();

  it("reads the source tree", () => {
    // guards the checks below against passing on an empty graph
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(200);
  });

  it("imports point one way: shared <- models <- helper, shared <- plugin, bench on top", () => {
    const upward: string[] = [];
    for (const [from, edges] of graph) {
      for (const { to, spec } of edges) {
        const [a, b] = [layerOf(from), layerOf(to)];
        if (!ALLOWED[a as Layer].includes(b)) upward.push(`${rel(from)} imports ${b}/ ("${spec}")`);
      }
    }
    expect(upward).toEqual([]);
  });

  it("shared imports no packages and no Node modules (the panel bundles it)", () => {
    const found: string[] = [];
    for (const [from, specs] of packages) {
      if (layerOf(from) === "shared") for (const spec of specs) found.push(`${rel(from)} imports "${spec}"`);
    }
    expect(found).toEqual([]);
  });

  it("has no import cycles", () => {
    const cycles = findCycles(graph).map(({ path: way, members }) =>
      members.length > way.length - 1
        ? `import cycle: ${way.join(" -> ")} (the circle holds ${members.length} modules: ${members.join(", ")})`
        : `import cycle: ${way.join(" -> ")}`,
    );
    expect(cycles).toEqual([]);
  });
});

// The folders' dependency rule, checked on every import: `shared` <- `models` <- `helper`, `shared` <- `plugin`,
// `bench` on top; `shared` imports nothing outside itself (it also runs inside the panel), and no module reaches
// back to itself through a chain of imports that exist at run time. Imports are read with TypeScript's own
// pre-processor, so `import type`, `export … from` and `require()` all count for the direction; a cycle made only
// of type imports (a facade and the modules that name its type) is erased by the compiler and is allowed.
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
  /** Only `import type` / `export type` use this specifier: nothing of it is loaded at run time. */
  typeOnly: boolean;
}

/** Specifiers a file uses only in type positions (`import type …`, `import { type A } …`, `export type … from`). */
function typeOnlySpecifiers(file: string, text: string): Set<string> {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, false);
  const typeOnly = new Set<string>();
  const runtime = new Set<string>();
  for (const stmt of source.statements) {
    if (
      (ts.isImportDeclaration(stmt) || ts.isExportDeclaration(stmt)) &&
      stmt.moduleSpecifier &&
      ts.isStringLiteral(stmt.moduleSpecifier)
    ) {
      const spec = stmt.moduleSpecifier.text;
      let onlyTypes: boolean;
      if (ts.isImportDeclaration(stmt)) {
        const clause = stmt.importClause;
        const named = clause?.namedBindings;
        onlyTypes =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined &&
              named !== undefined &&
              ts.isNamedImports(named) &&
              named.elements.length > 0 &&
              named.elements.every((e) => e.isTypeOnly)));
      } else {
        onlyTypes = stmt.isTypeOnly;
      }
      (onlyTypes ? typeOnly : runtime).add(spec);
    }
  }
  for (const spec of runtime) typeOnly.delete(spec);
  return typeOnly;
}

function buildGraph(): { graph: Map<string, Edge[]>; packages: Map<string, string[]> } {
  const graph = new Map<string, Edge[]>();
  const packages = new Map<string, string[]>();
  for (const layer of LAYERS) {
    for (const file of sourceFiles(path.join(ROOT, layer))) {
      const text = fs.readFileSync(file, "utf8");
      const info = ts.preProcessFile(text, true, true);
      const typeOnly = typeOnlySpecifiers(file, text);
      const edges: Edge[] = [];
      const external: string[] = [];
      for (const { fileName: spec } of info.importedFiles) {
        if (!spec.startsWith(".")) {
          external.push(spec);
          continue;
        }
        const to = resolveRelative(file, spec);
        if (to) edges.push({ to, spec, typeOnly: typeOnly.has(spec) });
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

  it("has no import cycles at run time", () => {
    const runtime = new Map([...graph].map(([from, edges]) => [from, edges.filter((e) => !e.typeOnly)]));
    const cycles = findCycles(runtime).map(({ path: way, members }) =>
      members.length > way.length - 1
        ? `import cycle: ${way.join(" -> ")} (the circle holds ${members.length} modules: ${members.join(", ")})`
        : `import cycle: ${way.join(" -> ")}`,
    );
    expect(cycles).toEqual([]);
  });
});

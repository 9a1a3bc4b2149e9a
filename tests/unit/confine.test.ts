// Output folders are confined on their real path: links leading out of an allowed root are refused.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { confine, ConfinementError, isInside, realPathOfNearest } from "../../helper/util/confine";

const tmp = () => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "cuesmith-confine-")));

describe("isInside (one comparison, any path rules)", () => {
  it("POSIX: the root itself and what lies below it, nothing beside it", () => {
    expect(isInside("/home/ed", "/home/ed")).toBe(true);
    expect(isInside("/home/ed", "/home/ed/Music/beds")).toBe(true);
    expect(isInside("/home/ed", "/home/ed/..foo")).toBe(true); // a folder named "..foo" is still inside
    expect(isInside("/home/ed", "/home/edward")).toBe(false);
    expect(isInside("/home/ed", "/home")).toBe(false);
    expect(isInside("/home/ed", "/etc")).toBe(false);
    expect(isInside("/home/ed", "/home/Ed/Music")).toBe(false); // POSIX names are case-sensitive
  });

  it("Windows rules plug in: case-insensitive, backslashes, drive letters", () => {
    const w = path.win32;
    expect(isInside("C:\\Users\\Ed", "c:\\users\\ed\\Music", w)).toBe(true);
    expect(isInside("C:\\Users\\Ed", "C:\\Users\\Ed", w)).toBe(true);
    expect(isInside("C:\\Users\\Ed", "C:\\Users\\Edward\\Music", w)).toBe(false);
    expect(isInside("C:\\Users\\Ed", "D:\\Users\\Ed", w)).toBe(false);
    expect(isInside("C:\\Users\\Ed", "C:\\Users\\Ed\\..\\Bob", w)).toBe(false);
  });
});

describe("confine (real paths on this machine)", () => {
  it("allows the root itself and folders that do not exist yet, as real paths", () => {
    const root = tmp();
    expect(confine(root, [root])).toBe(root);
    expect(confine(path.join(root, "new", "deeper"), [root])).toBe(path.join(root, "new", "deeper"));
  });

  it("refuses a symlink that leads outside the root, and anything below it", () => {
    const root = tmp();
    const outside = tmp();
    fs.symlinkSync(outside, path.join(root, "lnk"));
    expect(() => confine(path.join(root, "lnk"), [root])).toThrow(ConfinementError);
    expect(() => confine(path.join(root, "lnk", "sub", "new"), [root])).toThrow(ConfinementError);
    try {
      confine(path.join(root, "lnk"), [root]);
    } catch (err) {
      expect((err as ConfinementError).code).toBe("forbidden");
    }
  });

  it("allows a symlink that stays inside the root, resolving it", () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, "real"));
    fs.symlinkSync(path.join(root, "real"), path.join(root, "alias"));
    expect(confine(path.join(root, "alias", "beds"), [root])).toBe(path.join(root, "real", "beds"));
  });

  it("refuses .. escapes, and resolves .. that stays inside", () => {
    const root = tmp();
    const outside = tmp();
    expect(() => confine(path.join(root, "..", path.basename(outside)), [root])).toThrow(ConfinementError);
    expect(() => confine(`${root}/a/../../${path.basename(outside)}/x`, [root])).toThrow(ConfinementError);
    expect(confine(`${root}/a/../b`, [root])).toBe(path.join(root, "b"));
  });

  it("a root that is itself a symlink (macOS /tmp -> /private/tmp) allows both spellings", () => {
    const real = tmp();
    const outside = tmp();
    const link = path.join(tmp(), "tmp-link");
    fs.symlinkSync(real, link);
    expect(confine(path.join(link, "beds"), [link])).toBe(path.join(real, "beds"));
    expect(confine(path.join(real, "beds"), [link])).toBe(path.join(real, "beds"));
    expect(() => confine(path.join(outside, "beds"), [link])).toThrow(ConfinementError);
  });

  it("accepts any of several roots; a root that cannot be resolved allows nothing", () => {
    const a = tmp();
    const b = tmp();
    expect(confine(path.join(b, "x"), [a, b])).toBe(path.join(b, "x"));
    const file = path.join(a, "file");
    fs.writeFileSync(file, "");
    // a file where a folder should be: not a way out, an error of its own (ENOTDIR) for the writer
    expect(() => confine(path.join(b, "x"), [path.join(file, "below")])).toThrow(ConfinementError);
  });

  it("uses injected realpath and path rules: a Windows junction leading to another drive is refused", () => {
    const links: Record<string, string> = { "C:\\Users\\Ed\\Music\\lnk": "D:\\elsewhere" };
    const existing = new Set(["C:\\", "C:\\Users", "C:\\Users\\Ed", "C:\\Users\\Ed\\Music", "D:\\elsewhere"]);
    const realpath = (p: string) => {
      if (Object.hasOwn(links, p)) return links[p];
      if (existing.has(p)) return p;
      throw Object.assign(new Error(`ENOENT: ${p}`), { code: "ENOENT" });
    };
    const w = path.win32;
    expect(realPathOfNearest("C:\\Users\\Ed\\Music\\new\\x", realpath, w)).toBe("C:\\Users\\Ed\\Music\\new\\x");
    expect(
      confine(
        "c:\\users\\ed\\Music\\beds",
        ["C:\\Users\\Ed"],
        (p) => realpath(p.replace(/^c:\\users\\ed/, "C:\\Users\\Ed")),
        w,
      ),
    ).toBe("C:\\Users\\Ed\\Music\\beds");
    expect(() => confine("C:\\Users\\Ed\\Music\\lnk\\beds", ["C:\\Users\\Ed"], realpath, w)).toThrow(ConfinementError);
  });

  it("refuses Windows device names and trailing dots in the requested folder, whatever the roots", () => {
    const w = path.win32;
    const realpath = (p: string) => p;
    expect(() => confine("C:\\Users\\Ed\\CON\\beds", ["C:\\Users\\Ed"], realpath, w)).toThrow(/"CON"/);
    expect(() => confine("C:\\Users\\Ed\\beds.", ["C:\\Users\\Ed"], realpath, w)).toThrow(/"beds\."/);
    expect(confine("C:\\Users\\Ed\\beds", ["c:\\users\\ed"], realpath, w)).toBe("C:\\Users\\Ed\\beds");
  });
});

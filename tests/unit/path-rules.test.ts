// Windows path rules (with path.win32, on any machine) and their POSIX counterparts: what the helper may treat
// as the same folder, which names Windows turns into devices, and which media paths it refuses.
import * as path from "node:path";
import {
  checkMediaPath,
  comparablePath,
  isDevicePath,
  isSameOrInside,
  isUncPath,
  reservedComponent,
  safeFileName,
  trailingDotOrSpace,
} from "../../helper/util/path-rules";

const win = path.win32;
const posix = path.posix;

describe("isSameOrInside (win32)", () => {
  it.each([
    ["C:\\Users\\Ed\\Cuesmith\\take.wav", "C:\\Users\\Ed"],
    ["c:\\users\\ed\\cuesmith", "C:\\Users\\Ed"], // drive letter and folders differ only in case
    ["C:/Users/Ed/Renders/a.wav", "C:\\Users\\Ed\\"], // forward slashes, trailing separator
    ["C:\\Users\\Ed", "c:\\users\\ed"],
    ["C:\\Users\\Ed\\Renders.\\a.wav", "C:\\Users\\Ed\\Renders"], // Windows drops the trailing dot
    ["C:\\Users\\Ed\\Renders \\a.wav", "C:\\Users\\Ed\\Renders"], // and the trailing space
    ["\\\\?\\C:\\Users\\Ed\\a.wav", "C:\\Users\\Ed"], // long-path form of the same folder
    ["C:\\Users\\Ed\\..foo\\a.wav", "C:\\Users\\Ed"], // a folder named ..foo is inside
    ["\\\\nas\\media\\show\\a.mov", "\\\\NAS\\Media"],
    ["\\\\?\\UNC\\nas\\media\\a.mov", "\\\\nas\\media"],
    ["D:\\", "d:\\"],
  ])("%s is inside %s", (child, parent) => {
    expect(isSameOrInside(child, parent, win)).toBe(true);
  });

  it.each([
    ["C:\\Users\\Edward\\a.wav", "C:\\Users\\Ed"], // a sibling sharing a prefix
    ["C:\\Users\\Ed\\..\\Other\\a.wav", "C:\\Users\\Ed"],
    ["D:\\Users\\Ed\\a.wav", "C:\\Users\\Ed"],
    ["C:\\Users", "C:\\Users\\Ed"],
    ["\\\\nas\\other\\a.mov", "\\\\nas\\media"],
    ["C:\\Users\\Ed\\a.wav", "\\\\nas\\media"],
  ])("%s is not inside %s", (child, parent) => {
    expect(isSameOrInside(child, parent, win)).toBe(false);
  });

  it("compares in one normal form", () => {
    expect(comparablePath("C:/Users/Ed/Renders. /", win)).toBe("c:\\users\\ed\\renders");
    expect(comparablePath("c:\\", win)).toBe("c:\\");
  });
});

describe("isSameOrInside (posix) stays case-sensitive", () => {
  it("compares exactly, with .. resolved", () => {
    expect(isSameOrInside("/Users/ed/Renders/a.wav", "/Users/ed", posix)).toBe(true);
    expect(isSameOrInside("/Users/Ed/a.wav", "/Users/ed", posix)).toBe(false);
    expect(isSameOrInside("/Users/ed/../other", "/Users/ed", posix)).toBe(false);
    expect(isSameOrInside("/Users/edward", "/Users/ed", posix)).toBe(false);
    expect(isSameOrInside("/Users/ed/", "/Users/ed", posix)).toBe(true);
  });
});

describe("reserved names and trailing dots (win32)", () => {
  it.each([
    "C:\\media\\CON",
    "C:\\media\\con.wav",
    "C:\\NUL\\a.wav",
    "C:\\media\\Com1.mp4",
    "C:\\media\\LPT9.txt",
    "C:\\media\\aux .wav",
    "C:\\media\\COM¹.wav",
    "C:\\x\\PRN.tar.gz",
  ])("%s has a device name", (p) => {
    expect(reservedComponent(p, win)).not.toBeNull();
  });

  it.each([
    "C:\\media\\console.wav",
    "C:\\media\\CONFIG",
    "C:\\media\\com10.wav",
    "C:\\media\\nullish.mov",
    "C:\\media\\LPT.wav",
  ])("%s is an ordinary name", (p) => {
    expect(reservedComponent(p, win)).toBeNull();
  });

  it("finds components that end in a dot or a space, not . or ..", () => {
    expect(trailingDotOrSpace("C:\\media\\take.", win)).toBe("take.");
    expect(trailingDotOrSpace("C:\\media \\take.wav", win)).toBe("media ");
    expect(trailingDotOrSpace("C:\\media\\..\\.\\take.wav", win)).toBeNull();
  });

  it("has none of these rules on POSIX", () => {
    expect(reservedComponent("/media/CON", posix)).toBeNull();
    expect(trailingDotOrSpace("/media/take.", posix)).toBeNull();
    expect(isUncPath("//server/share/a", posix)).toBe(false);
  });
});

describe("UNC and device paths (win32)", () => {
  it.each([
    "\\\\server\\share\\clip.mov",
    "//server/share/clip.mov",
    "\\\\?\\UNC\\server\\share\\clip.mov",
    "\\\\.\\UNC\\server\\share\\clip.mov",
    "\\\\192.168.1.5\\media\\a.wav",
  ])("%s is UNC", (p) => {
    expect(isUncPath(p, win)).toBe(true);
    expect(isDevicePath(p, win)).toBe(false);
  });

  it.each([
    "C:\\clip.mov",
    "\\\\?\\C:\\clip.mov",
    "\\\\.\\PhysicalDrive0",
    "\\\\?\\Volume{0b1e}\\clip.mov",
    "\\clip.mov",
  ])("%s is not UNC", (p) => {
    expect(isUncPath(p, win)).toBe(false);
  });

  it("names device-namespace paths", () => {
    expect(isDevicePath("\\\\.\\PhysicalDrive0", win)).toBe(true);
    expect(isDevicePath("\\\\.\\pipe\\cuesmith", win)).toBe(true);
    expect(isDevicePath("\\\\?\\Volume{0b1e}\\clip.mov", win)).toBe(true);
    expect(isDevicePath("\\\\?\\C:\\clip.mov", win)).toBe(false);
  });
});

describe("checkMediaPath", () => {
  it("accepts local absolute clips, including long-path form and non-ASCII names", () => {
    expect(checkMediaPath("C:\\Users\\Zoë\\Videos\\采访 01.mov", win)).toEqual({ ok: true });
    expect(checkMediaPath("d:/footage/vo.wav", win)).toEqual({ ok: true });
    expect(checkMediaPath("\\\\?\\C:\\very\\long\\path\\vo.wav", win)).toEqual({ ok: true });
    expect(checkMediaPath("/Users/zoë/Movies/vo.mov", posix)).toEqual({ ok: true });
  });

  it("refuses UNC shares unless allowed, saying how to allow them", () => {
    const v = checkMediaPath("\\\\nas\\media\\vo.mov", win);
    expect(v).toMatchObject({ ok: false, code: "unc_path", reason: expect.stringMatching(/allowUncMediaPaths/) });
    expect(checkMediaPath("\\\\?\\UNC\\nas\\media\\vo.mov", win)).toMatchObject({ ok: false, code: "unc_path" });
    expect(checkMediaPath("\\\\nas\\media\\vo.mov", win, { allowUnc: true })).toEqual({ ok: true });
  });

  it.each([
    ["\\\\.\\PhysicalDrive0", "device_path"],
    ["C:\\media\\CON.wav", "reserved_name"],
    ["C:\\media\\vo.wav:secret", "invalid_path"],
    ["C:vo.wav", "not_absolute"],
    ["\\media\\vo.wav", "not_absolute"],
    ["media\\vo.wav", "not_absolute"],
    ["C:\\media\\vo\0.wav", "invalid_path"],
  ])("refuses %j (%s) on Windows", (p, code) => {
    expect(checkMediaPath(p, win)).toMatchObject({ ok: false, code });
  });

  it("refuses relative paths on POSIX", () => {
    expect(checkMediaPath("media/vo.wav", posix)).toMatchObject({ ok: false, code: "not_absolute" });
  });
});

describe("safeFileName", () => {
  it.each([
    ["unboxing 15s", "unboxing 15s"],
    ['a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"],
    ["take.", "take"],
    ["take . ", "take"],
    ["CON", "_CON"],
    ["nul.wav", "_nul.wav"],
    ["com1 .wav", "_com1 .wav"],
    ["console.wav", "console.wav"],
    ["", "_"],
    ["..", "_"],
    ["tab\there", "tab_here"],
    ["配乐 #开箱.wav", "配乐 #开箱.wav"],
  ])("%j -> %j", (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it("keeps names within 255 UTF-16 units, extension kept, no split surrogate pair", () => {
    const long = safeFileName("🎵".repeat(200) + ".wav");
    expect(long.length).toBeLessThanOrEqual(255);
    expect(long.endsWith(".wav")).toBe(true);
    expect(/[\uD800-\uDBFF]\.wav$/.test(long)).toBe(false);
  });
});

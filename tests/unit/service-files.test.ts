// The helper's start-at-login files for macOS, Windows and Linux, from one description: contents, paths, and
// quoting of spaces, quotes and non-ASCII user names as each OS reads them back.
import {
  quoteShellArg,
  quoteSystemdArg,
  quoteWindowsArg,
  ServiceDescription,
  serviceFiles,
  xmlEscape,
} from "../../helper/install/service-files";

const mac: ServiceDescription = {
  id: "com.cuesmith.helper",
  name: "Cuesmith Helper",
  program: "/usr/local/bin/node",
  args: [
    "/Users/Zoë Ångström/.npm-global/lib/node_modules/cuesmith/bin/cuesmith.js",
    "serve",
    "--model-dir",
    "/Users/Zoë Ångström/Models & Co/m",
  ],
  env: { CUESMITH_HOME: "/Users/Zoë Ångström/.cuesmith" },
  home: "/Users/Zoë Ångström",
  logFile: "/Users/Zoë Ångström/.cuesmith/helper.log",
  uid: 501,
};

const win: ServiceDescription = {
  id: "com.cuesmith.helper",
  name: "Cuesmith Helper",
  program: "C:\\Program Files\\nodejs\\node.exe",
  args: [
    "C:\\Users\\Zoë Ångström\\AppData\\Roaming\\npm\\node_modules\\cuesmith\\bin\\cuesmith.js",
    "serve",
    "--model-dir",
    "D:\\Models\\",
  ],
  env: {},
  home: "C:\\Users\\Zoë Ångström",
  logFile: "C:\\Users\\Zoë Ångström\\.cuesmith\\helper.log",
  user: "Zoë Ångström",
  localAppData: "C:\\Users\\Zoë Ångström\\AppData\\Local",
};

const linux: ServiceDescription = {
  id: "com.cuesmith.helper",
  name: "Cuesmith Helper",
  program: "/usr/bin/node",
  args: ["/home/zoë/my apps/cuesmith/bin/cuesmith.js", "serve", "--model-dir", '/home/zoë/100% "real" $HOME'],
  env: { CUESMITH_HOME: "/home/zoë/.cuesmith" },
  home: "/home/zoë",
  logFile: "/home/zoë/.cuesmith/helper.log",
};

/** Reads one Windows command-line argument list back as CommandLineToArgvW does. */
function windowsArgv(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === " ") i++;
    if (i >= line.length) break;
    let arg = "";
    let quoted = false;
    for (; i < line.length && (quoted || line[i] !== " "); i++) {
      let slashes = 0;
      while (line[i] === "\\") {
        slashes++;
        i++;
      }
      if (line[i] === '"') {
        arg += "\\".repeat(Math.floor(slashes / 2));
        if (slashes % 2) arg += '"';
        else quoted = !quoted;
      } else {
        arg += "\\".repeat(slashes);
        if (i < line.length && (quoted || line[i] !== " ")) arg += line[i];
        else i--;
      }
    }
    out.push(arg);
  }
  return out;
}

/** Reads a systemd Exec line's words back (double quotes, backslash escapes, %% and $$). */
function systemdWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) =>
    m[1].replace(/\\(.)/g, "$1").replace(/%%/g, "%").replace(/\$\$/g, "$"),
  );
}

describe("serviceFiles: macOS LaunchAgent", () => {
  const plan = serviceFiles(mac, "darwin");
  const file = plan.files[0];

  it("goes to ~/Library/LaunchAgents/<label>.plist as UTF-8", () => {
    expect(plan.files).toHaveLength(1);
    expect(file.path).toBe("/Users/Zoë Ångström/Library/LaunchAgents/com.cuesmith.helper.plist");
    expect(file.encoding).toBe("utf8");
  });

  it("lists every argument as its own <string>, XML-escaped, non-ASCII kept", () => {
    expect(file.contents).toContain("<key>Label</key><string>com.cuesmith.helper</string>");
    expect(file.contents).toContain(
      [
        "  <array>",
        "    <string>/usr/local/bin/node</string>",
        "    <string>/Users/Zoë Ångström/.npm-global/lib/node_modules/cuesmith/bin/cuesmith.js</string>",
        "    <string>serve</string>",
        "    <string>--model-dir</string>",
        "    <string>/Users/Zoë Ångström/Models &amp; Co/m</string>",
        "  </array>",
      ].join("\n"),
    );
    expect(file.contents).toContain("<key>CUESMITH_HOME</key><string>/Users/Zoë Ångström/.cuesmith</string>");
    expect(file.contents).toContain("<key>RunAtLoad</key><true/>");
    expect(file.contents).toContain(
      "<key>StandardErrorPath</key><string>/Users/Zoë Ångström/.cuesmith/helper.log</string>",
    );
    expect(file.contents.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE plist')).toBe(true);
  });

  it("registers with launchctl bootstrap in the user's GUI domain, and unregisters with bootout", () => {
    expect(plan.register).toEqual([{ program: "launchctl", args: ["bootstrap", "gui/501", file.path] }]);
    expect(plan.unregister).toEqual([{ program: "launchctl", args: ["bootout", "gui/501/com.cuesmith.helper"] }]);
    expect(plan.startHint).toBe(
      "launchctl bootstrap gui/$(id -u) '/Users/Zoë Ångström/Library/LaunchAgents/com.cuesmith.helper.plist'",
    );
  });
});

describe("serviceFiles: Windows Scheduled Task", () => {
  const plan = serviceFiles(win, "win32");
  const file = plan.files[0];

  it("writes Task Scheduler XML as UTF-16 under %LOCALAPPDATA%\\Cuesmith", () => {
    expect(file.path).toBe("C:\\Users\\Zoë Ångström\\AppData\\Local\\Cuesmith\\com.cuesmith.helper.task.xml");
    expect(file.encoding).toBe("utf16le");
    expect(
      file.contents.startsWith(
        '<?xml version="1.0" encoding="UTF-16"?>\r\n<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
      ),
    ).toBe(true);
    expect(file.contents).not.toMatch(/[^\r]\n/);
  });

  it("starts at this user's logon, without elevation, never stopped for running long", () => {
    expect(file.contents).toContain(
      "<LogonTrigger>\r\n      <Enabled>true</Enabled>\r\n      <UserId>Zoë Ångström</UserId>\r\n    </LogonTrigger>",
    );
    expect(file.contents).toContain("<LogonType>InteractiveToken</LogonType>");
    expect(file.contents).toContain("<RunLevel>LeastPrivilege</RunLevel>");
    expect(file.contents).toContain("<ExecutionTimeLimit>PT0S</ExecutionTimeLimit>");
    expect(file.contents).toContain("<MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>");
  });

  it("quotes the arguments so that Windows reads back exactly the same list", () => {
    expect(file.contents).toContain("<Command>C:\\Program Files\\nodejs\\node.exe</Command>");
    const line = /<Arguments>(.*)<\/Arguments>/
      .exec(file.contents)![1]
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&");
    expect(line).toBe(
      '"C:\\Users\\Zoë Ångström\\AppData\\Roaming\\npm\\node_modules\\cuesmith\\bin\\cuesmith.js" serve --model-dir D:\\Models\\',
    );
    expect(windowsArgv(line)).toEqual(win.args);
  });

  it("registers with schtasks /Create /XML, then runs it; removes with /End and /Delete", () => {
    expect(plan.register).toEqual([
      { program: "schtasks", args: ["/Create", "/TN", "Cuesmith Helper", "/XML", file.path, "/F"] },
      { program: "schtasks", args: ["/Run", "/TN", "Cuesmith Helper"] },
    ]);
    expect(plan.unregister.map((c) => c.args[0])).toEqual(["/End", "/Delete"]);
    expect(plan.startHint).toBe('schtasks /Run /TN "Cuesmith Helper"');
  });
});

describe("serviceFiles: Linux systemd user unit", () => {
  const plan = serviceFiles(linux, "linux");
  const file = plan.files[0];

  it("goes to ~/.config/systemd/user (or $XDG_CONFIG_HOME)", () => {
    expect(file.path).toBe("/home/zoë/.config/systemd/user/cuesmith-helper.service");
    expect(serviceFiles({ ...linux, xdgConfigHome: "/cfg" }, "linux").files[0].path).toBe(
      "/cfg/systemd/user/cuesmith-helper.service",
    );
  });

  it("quotes ExecStart so that spaces, quotes, % and $ arrive unchanged", () => {
    const exec = /^ExecStart=(.*)$/m.exec(file.contents)![1];
    expect(exec).toBe(
      '"/usr/bin/node" "/home/zoë/my apps/cuesmith/bin/cuesmith.js" "serve" "--model-dir" "/home/zoë/100%% \\"real\\" $$HOME"',
    );
    expect(systemdWords(exec)).toEqual([linux.program, ...linux.args]);
    expect(file.contents).toContain('Environment="CUESMITH_HOME=/home/zoë/.cuesmith"');
    expect(file.contents).toContain("[Install]\nWantedBy=default.target");
    expect(file.contents).toContain("Restart=on-failure");
  });

  it("enables and starts it with systemctl --user", () => {
    expect(plan.register).toEqual([
      { program: "systemctl", args: ["--user", "daemon-reload"] },
      { program: "systemctl", args: ["--user", "enable", "--now", "cuesmith-helper.service"] },
    ]);
    expect(plan.unregister).toEqual([
      { program: "systemctl", args: ["--user", "disable", "--now", "cuesmith-helper.service"] },
    ]);
  });
});

describe("quoting helpers", () => {
  it.each([
    ["plain", "plain"],
    ["two words", '"two words"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["C:\\dir with space\\", '"C:\\dir with space\\\\"'],
    ["", '""'],
  ])("quoteWindowsArg(%j) = %s and reads back", (arg, quoted) => {
    expect(quoteWindowsArg(arg)).toBe(quoted);
    expect(windowsArgv(quoted)).toEqual([arg]);
  });

  it("escapes XML, shell and systemd words", () => {
    expect(xmlEscape(`<a & "b" 'c'>`)).toBe("&lt;a &amp; &quot;b&quot; &apos;c&apos;&gt;");
    expect(quoteShellArg("it's here")).toBe("'it'\\''s here'");
    expect(quoteShellArg("/usr/bin/node")).toBe("/usr/bin/node");
    expect(quoteSystemdArg("a\\b")).toBe('"a\\\\b"');
  });
});

/**
 * The shell commands README.md and docs/*.md print, and how the tests run
 * each one. Every command found must have a plan here (the doc test fails
 * otherwise), so a new command in the docs needs a way to be run or a
 * stated reason why not.
 */
import { spawn } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { TestContext } from "node:test";

export interface DocCommand {
  file: string;
  command: string;
}

/** Inline `code` that is a command of ours (prose also quotes flags, which are not commands). */
const INLINE_COMMAND = /^(npx |npm start|npm install|node dist\/cli\/main\.js|opensyncparty )/;
/** Inline names of commands in prose ("use `npm start --` in place of …"), not invocations. */
const NAMES = new Set(["npm install", "npm start", "npm start --", "npx opensyncparty", "npx opensyncparty serve", "node dist/cli/main.js", "opensyncparty mpv"]);

/** Lines of ```sh blocks (continuations joined, comments and blanks dropped) and inline commands. */
export function docCommands(root = "."): DocCommand[] {
  const files = ["README.md", ...readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
  const out: DocCommand[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), "utf8");
    for (const block of text.matchAll(/```sh\n([\s\S]*?)```/g)) {
      const joined = block[1]!.replace(/\\\n\s*/g, "");
      for (const line of joined.split("\n")) {
        const command = line.trim();
        if (command && !command.startsWith("#")) out.push({ file, command });
      }
    }
    const prose = text.replace(/```[\s\S]*?```/g, "");
    for (const span of prose.matchAll(/`([^`\n]+)`/g)) {
      if (INLINE_COMMAND.test(span[1]!) && !NAMES.has(span[1]!)) out.push({ file, command: span[1]! });
    }
  }
  return out;
}

/** Where a command runs: in the clone (repo), in a folder where the tarball was installed, or not at all (why). */
export type Plan =
  | { where: "repo"; run?: string }
  | { where: "installed"; kind: "serve" | "mpv" | "setup" }
  | { skip: string };

export const PLANS: Record<string, Plan> = {
  // README.md
  "npm install && npm start": { where: "repo", run: "npm start" }, // the install is .ci/run's own first step
  "npm install && npm test": { skip: "the test command itself: .ci/run runs exactly this line" },
  "npm run test:stress": { skip: "the whole suite beside two CPU burners: the suite cannot run itself" },
  'echo "allow-scripts=better-sqlite3" > .npmrc': { where: "installed", kind: "setup" },
  "npm install ./opensyncparty-0.1.0.tgz": { where: "installed", kind: "setup" },
  "npx opensyncparty serve": { where: "installed", kind: "serve" },
  "npm install -g --allow-scripts=better-sqlite3 ./opensyncparty-0.1.0.tgz": {
    skip: "a second native build of better-sqlite3 (minutes); the same tarball's local install is tested",
  },
  "opensyncparty serve": { where: "installed", kind: "serve" }, // the same bin, on PATH
  "npx --allow-scripts=better-sqlite3 opensyncparty serve": { where: "installed", kind: "serve" },
  "npm start -- --port 8080": { where: "repo" },
  "npx -y http-server --cors -p 8000 ~/Videos": {
    skip: "a third-party static server fetched from the registry; test/browser/party-media.test.ts checks what a server without Range or CORS is told",
  },
  "npm start -- --tls-cert fullchain.pem --tls-key privkey.pem": { where: "repo" },
  // docs/configuration.md
  "PORT=8080 LOG_LEVEL=debug npm start": { where: "repo" },
  "node dist/cli/main.js serve --port 3001 --allowed-origins https://jellyfin.example.com": { where: "repo" },
  "sudo certbot certonly --standalone -d party.example.com": { skip: "needs a public DNS name and Let's Encrypt" },
  "npx opensyncparty serve --tls-cert /etc/letsencrypt/live/party.example.com/fullchain.pem --tls-key /etc/letsencrypt/live/party.example.com/privkey.pem":
    { where: "installed", kind: "serve" },
  // docs/jellyfin.md
  "npx opensyncparty serve --port 3001 --jellyfin-url http://127.0.0.1:8096": { where: "installed", kind: "serve" },
  "npx opensyncparty serve --port 3001 --jellyfin-url http://127.0.0.1:8096 --tls-cert fullchain.pem --tls-key privkey.pem": {
    where: "installed",
    kind: "serve",
  },
  "npx opensyncparty serve --port 3001 --proxy-jellyfin http://127.0.0.1:8096 --jellyfin-url http://127.0.0.1:8096": {
    where: "installed",
    kind: "serve",
  },
  // docs/mpv.md
  "npx opensyncparty mpv movie.mkv --server ws://party.example:3001/ws --room k3xq9mbw2a --name Ana": { where: "installed", kind: "mpv" },
  'npx opensyncparty mpv movie.mkv --server ws://localhost:3001/ws --create "Movie night"': { where: "installed", kind: "mpv" },
  "mpv --input-ipc-server=/tmp/mpv.sock movie.mkv &": { where: "installed", kind: "setup" },
  "npx opensyncparty mpv --ipc /tmp/mpv.sock --room k3xq9mbw2a": { where: "installed", kind: "mpv" },
  "npx opensyncparty mpv --jellyfin https://jellyfin.example --jellyfin-user ana --room k3xq9mbw2a": { where: "installed", kind: "mpv" },
  'npx opensyncparty mpv "https://jellyfin.example/Videos/<itemId>/stream?static=true&mediaSourceId=<itemId>&ApiKey=<your token>" --room k3xq9mbw2a':
    { where: "installed", kind: "mpv" },
  // docs/scaling.md (issue 12)
  "opensyncparty serve --port 3001 --redis-url redis://10.0.0.5:6379/0": {
    skip: "needs a Redis at that address; cluster mode runs in test/cluster (real instances on a real redis-server)",
  },
};

/** Placeholders in printed commands → what the test uses. Ports become 0 (any free port). */
export function substitute(command: string, values: Record<string, string>): string {
  const out = command.replace(/--port \d+/g, "--port 0").replace(/\bPORT=\d+/g, "PORT=0");
  const keys = Object.keys(values).sort((a, b) => b.length - a.length); // one pass, longest first
  if (keys.length === 0) return out;
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  return out.replace(pattern, (m) => values[m]!);
}

export interface Running {
  /** Lines the command printed on stdout so far. */
  stdout: string[];
  stderr: () => string;
  /** Resolves with the first stdout line `accept` returns a value for; rejects if the command exits first. */
  waitLine<T>(accept: (line: string) => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  /** SIGTERM to the whole process group (sh → npm → node); resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Runs `command` with sh in its own process group, like a user at a shell; stopped when the test ends. */
export function runShell(t: Pick<TestContext, "after">, command: string, cwd: string, env: Record<string, string> = {}): Running {
  const child = spawn("sh", ["-c", command], { cwd, env: { ...process.env, ...env }, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  let stderr = "";
  const listeners = new Set<() => void>();
  createInterface({ input: child.stdout }).on("line", (line) => {
    stdout.push(line);
    for (const l of listeners) l();
  });
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const stop = async () => {
    try {
      process.kill(-child.pid!, "SIGTERM"); // the group: also what sh started in the background (`mpv … &`)
    } catch {} // already gone
    return exited;
  };
  t.after(stop);
  return {
    stdout,
    stderr: () => stderr,
    stop,
    waitLine<T>(accept: (line: string) => T | undefined, what: string, timeoutMs = 60_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = () => {
          for (const line of stdout) {
            const v = accept(line);
            if (v !== undefined) return done(() => resolve(v));
          }
        };
        const timer = setTimeout(() => done(() => reject(new Error(`"${command}": no ${what} within ${timeoutMs} ms\n${stderr}`))), timeoutMs);
        const onExit = () => done(() => reject(new Error(`"${command}" exited before ${what}:\n${stdout.join("\n")}\n${stderr}`)));
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off("exit", onExit);
          settle();
        };
        listeners.add(check);
        child.once("exit", onExit);
        check();
      });
    },
  };
}

/** The `url` of the serve command's "OpenSyncParty listening" JSON log line. */
export function listeningUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    return entry.msg === "OpenSyncParty listening" ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

/** GET /health of the server at a ws(s) URL; self-signed certificates accepted. */
export function healthStatus(wsUrl: string): Promise<number | undefined> {
  const url = `${wsUrl.replace(/^ws/, "http").replace(/\/ws$/, "")}/health`;
  const get = url.startsWith("https:") ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    get(url, { rejectUnauthorized: false }, (res) => resolve(res.resume().statusCode)).once("error", reject);
  });
}

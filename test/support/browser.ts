/**
 * Launch the system Chromium (never a downloaded one) through playwright-core
 * for browser tests, with flags that keep it quiet, offline and able to
 * autoplay media without a user gesture.
 *
 *   const skip = await browserSkipReason({ needFfmpeg: true });
 *   test("...", { skip }, async (t) => {
 *     const browser = await launchBrowser({ teardown: t });
 *     const page = await newPage(browser, { teardown: t });
 *   });
 */
import { accessSync, constants } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { hasFfmpeg } from "./media.js";

/** Override with `CHROMIUM_PATH`; defaults to the Debian package's binary. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--autoplay-policy=no-user-gesture-required",
];

export interface Teardown {
  after(fn: () => Promise<void>): void;
}

function hasChromium(): boolean {
  try {
    accessSync(chromiumPath, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why browser tests cannot run here, or undefined when they can. Missing
 * tools skip the tests locally; under CI (`process.env.CI` set) they are a
 * failure instead, so this throws.
 */
export async function browserSkipReason(opts: { needFfmpeg?: boolean } = {}): Promise<string | undefined> {
  const missing: string[] = [];
  if (!hasChromium()) missing.push(`chromium (${chromiumPath}; set CHROMIUM_PATH)`);
  if (opts.needFfmpeg && !(await hasFfmpeg())) missing.push("ffmpeg (on PATH)");
  if (missing.length === 0) return undefined;
  const reason = `browser tests need ${missing.join(" and ")}`;
  if (process.env.CI) throw new Error(`${reason}; they are required under CI`);
  return reason;
}

/**
 * Launch headless Chromium with a fresh temporary profile; closed on teardown.
 * `autoplayPolicy` replaces the default `no-user-gesture-required`, e.g.
 * `document-user-activation-required` for a browser that refuses to play
 * before the viewer clicks.
 */
export async function launchBrowser(opts: { teardown?: Teardown; autoplayPolicy?: string } = {}): Promise<Browser> {
  const args = opts.autoplayPolicy
    ? [...CHROMIUM_ARGS.filter((a) => !a.startsWith("--autoplay-policy=")), `--autoplay-policy=${opts.autoplayPolicy}`]
    : [...CHROMIUM_ARGS];
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args,
  });
  opts.teardown?.after(async () => {
    await browser.close();
  });
  return browser;
}

export interface PageOptions {
  teardown?: Teardown;
  /** Receives page console messages and uncaught errors (default: errors go to stderr). */
  onLog?: (line: string) => void;
}

/** A page in its own context, with page errors surfaced instead of lost. */
export async function newPage(browser: Browser, opts: PageOptions = {}): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const log = opts.onLog ?? ((line: string) => process.stderr.write(`${line}\n`));
  page.on("pageerror", (err) => log(`[page error] ${err.message}`));
  if (opts.onLog) page.on("console", (msg) => log(`[console.${msg.type()}] ${msg.text()}`));
  opts.teardown?.after(async () => {
    await context.close();
  });
  return page;
}

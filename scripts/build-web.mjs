#!/usr/bin/env node
// Bundles the browser entry points (src/web/*/main.ts) into dist/web with esbuild.
import { existsSync, readdirSync, cpSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = "src/web";
const entries = {};
if (existsSync(root)) {
  for (const app of readdirSync(root, { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    const main = join(root, app.name, "main.ts");
    if (existsSync(main)) entries[app.name] = main;
    const assets = join(root, app.name, "public");
    if (existsSync(assets)) {
      mkdirSync(join("dist/web", app.name), { recursive: true });
      cpSync(assets, join("dist/web", app.name), { recursive: true });
    }
  }
}
if (Object.keys(entries).length > 0) {
  const result = await build({
    entryPoints: entries,
    bundle: true,
    minify: true,
    sourcemap: true,
    format: "iife",
    target: ["es2020"],
    outdir: "dist/web",
    metafile: true,
    logLevel: "warning",
  });
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith(".js")) console.log(`web bundle ${file}: ${(info.bytes / 1024).toFixed(1)} KiB`);
  }
}

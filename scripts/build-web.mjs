#!/usr/bin/env node
// Bundles the browser entry points (src/web/*/main.ts) into dist/web with esbuild.
// Page apps (e.g. standalone) are ES modules with code splitting, so hls.js is a
// lazy chunk only HLS rooms fetch. Apps in CLASSIC_APPS (the Jellyfin script,
// injected as a plain <script>) stay single self-contained IIFE files.
import { cpSync, existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const root = "src/web";
const CLASSIC_APPS = new Set(["jellyfin"]);
const moduleEntries = {};
const classicEntries = {};
if (existsSync(root)) {
  for (const app of readdirSync(root, { withFileTypes: true })) {
    if (!app.isDirectory()) continue;
    const main = join(root, app.name, "main.ts");
    if (existsSync(main)) (CLASSIC_APPS.has(app.name) ? classicEntries : moduleEntries)[app.name] = main;
    const assets = join(root, app.name, "public");
    if (existsSync(assets)) {
      mkdirSync(join("dist/web", app.name), { recursive: true });
      cpSync(assets, join("dist/web", app.name), { recursive: true });
    }
  }
}

const common = { bundle: true, minify: true, sourcemap: true, target: ["es2020"], outdir: "dist/web", metafile: true, logLevel: "warning" };
const builds = [];
if (Object.keys(moduleEntries).length > 0) {
  builds.push(build({ ...common, entryPoints: moduleEntries, format: "esm", splitting: true, chunkNames: "chunks/[name]-[hash]" }));
}
if (Object.keys(classicEntries).length > 0) {
  builds.push(build({ ...common, entryPoints: classicEntries, format: "iife" }));
}
for (const result of await Promise.all(builds)) {
  for (const [file, info] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith(".js")) console.log(`web bundle ${file}: ${(info.bytes / 1024).toFixed(1)} KiB`);
  }
}

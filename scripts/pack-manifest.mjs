#!/usr/bin/env node
// npm pack/publish hooks. `strip` (prepack) drops the `prepare` script from
// package.json before npm tars it; `restore` (postpack) puts the file back.
// Why: `prepare` builds a clone on `npm install`, but in a tarball npm 11
// lists it as an unapproved install script of a non-registry package — a
// warning for every user of the tarball, for a script that must never run
// there (the tarball is already built). Same approach as `pinst`.
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";

const BACKUP = "package.json.prepack";
const mode = process.argv[2];
if (mode === "strip") {
  if (!existsSync("dist/cli/main.js") || !existsSync("dist/web/standalone/index.html")) {
    console.error("pack-manifest: dist/ is not built; run `npm run build` first");
    process.exit(1);
  }
  if (existsSync(BACKUP)) copyFileSync(BACKUP, "package.json"); // an earlier pack was interrupted
  const text = readFileSync("package.json", "utf8");
  copyFileSync("package.json", BACKUP);
  const pkg = JSON.parse(text);
  delete pkg.scripts.prepare;
  writeFileSync("package.json", `${JSON.stringify(pkg, null, 2)}\n`);
} else if (mode === "restore") {
  if (existsSync(BACKUP)) {
    copyFileSync(BACKUP, "package.json");
    rmSync(BACKUP);
  }
} else {
  console.error("usage: pack-manifest.mjs strip|restore");
  process.exit(2);
}

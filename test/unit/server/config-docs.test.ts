import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { SERVE_OPTIONS } from "../../../src/cli/serve.js";
import { DEFAULTS } from "../../../src/server/config.js";

test("docs/configuration.md has a row for every option, with its flag and env var", { timeout: 30_000 }, () => {
  const doc = readFileSync("docs/configuration.md", "utf8");
  for (const key of Object.keys(DEFAULTS)) {
    assert.match(doc, new RegExp(`\\| \`${key}\` \\|`), `option ${key} is not documented`);
  }
  for (const o of Object.values(SERVE_OPTIONS)) {
    assert.ok(doc.includes(`\`--${o.flag}\``), `flag --${o.flag} is not documented`);
    assert.ok(doc.includes(`\`${o.env}\``), `env ${o.env} is not documented`);
  }
});

/** Markdown renders `| … |` lines as a table only in a block that starts with a header row and a `|---|` line. */
function tableBlocks(doc: string): { header: string; rows: string[] }[] {
  const lines = doc.split("\n");
  const blocks: { header: string; rows: string[] }[] = [];
  let inCode = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("```")) inCode = !inCode;
    if (inCode || !line.startsWith("|")) continue;
    const prev = lines[i - 1] ?? "";
    if (prev.startsWith("|")) {
      blocks.at(-1)!.rows.push(line);
      continue;
    }
    assert.match(lines[i + 1] ?? "", /^\|(\s*:?-+:?\s*\|)+\s*$/, `line ${i + 1} ("${line.slice(0, 40)}…") is a table row outside a table: it renders as text`);
    blocks.push({ header: line, rows: [] });
  }
  return blocks;
}

test("docs/configuration.md: every option row is inside the options table (none renders as pipe text)", { timeout: 30_000 }, () => {
  const doc = readFileSync("docs/configuration.md", "utf8");
  const blocks = tableBlocks(doc);
  const options = blocks.find((b) => b.header.startsWith("| option | flag | env | default |"));
  assert.ok(options, "the options table has its header");
  for (const key of Object.keys(DEFAULTS)) {
    assert.ok(
      options.rows.some((r) => r.startsWith(`| \`${key}\` |`)),
      `option ${key} has no row in the options table (a row after a paragraph is not in the table)`,
    );
  }
});

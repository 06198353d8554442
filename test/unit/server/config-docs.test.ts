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

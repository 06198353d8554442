/**
 * The party page names why an action did not happen in words for the
 * refusals a frozen Redis or a stalled server give (before: the protocol's
 * English message, "retry after retry_after_ms", leaked onto the banner).
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { PartyError } from "../../../src/client/index.js";
import { ErrorMessages } from "../../../src/protocol/index.js";
import { failureText } from "../../../src/web/standalone/failures.js";

test("cluster_unavailable and server_stalled read as words a viewer can act on", { timeout: 5000 }, () => {
  for (const code of ["cluster_unavailable", "server_stalled"] as const) {
    const text = failureText("Seek", new PartyError(code, ErrorMessages[code]));
    assert.match(text, /^Seek did not happen: .*try again\.$/, text);
    assert.doesNotMatch(text, /retry_after_ms|requestTimeoutMs/, text);
  }
});

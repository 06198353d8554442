/** The page's time fields ("Change media" start): what a person may type, and the words for what they may not. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseMediaTime } from "../../../src/web/standalone/validate.js";

test("media times: seconds, m:ss and h:mm:ss are read; empty is the start", { timeout: 10_000 }, () => {
  const cases: Array<[string, number]> = [["", 0], ["  ", 0], ["90", 90], ["1:30", 90], ["0:05", 5], ["1:5", 65], ["1:02:03", 3723], ["2:03.5", 123.5], ["12.25", 12.25]];
  for (const [text, seconds] of cases) assert.deepEqual(parseMediaTime(text), { seconds }, text);
});

test("media times: negative, too many parts, parts over 59, junk and past the media's end are refused in words", { timeout: 10_000 }, () => {
  const refused: Array<[string, RegExp, number?]> = [
    ["-5", /negative/],
    ["-0:30", /negative/],
    ["1:2:3:4", /Too many parts/],
    ["99:99", /up to 59/],
    ["1:60", /up to 59/],
    ["1:00:75", /up to 59/],
    ["abc", /like 90, 1:30/],
    ["1:", /like 90, 1:30/],
    [":30", /like 90, 1:30/],
    ["1.5:30", /like 90, 1:30/],
    ["1e3", /like 90, 1:30/],
    ["Infinity", /like 90, 1:30/],
    ["1:00", /only 1:00 long/, 60],
    ["59:00", /only 1:00 long/, 60],
  ];
  for (const [text, why, duration] of refused) {
    const got = parseMediaTime(text, duration);
    assert.ok("problem" in got, `${text} is refused, got ${JSON.stringify(got)}`);
    assert.match(got.problem, why, text);
  }
  assert.deepEqual(parseMediaTime("0:59", 60), { seconds: 59 }, "within the media");
  assert.deepEqual(parseMediaTime("5:00", null), { seconds: 300 }, "no known duration: not checked");
});

/** The room's media title from a Jellyfin item, and the item id in Jellyfin's stream and API URLs. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { itemTitle } from "../../src/web/jellyfin/item-title.js";
import { itemIdFromUrl } from "../../src/web/jellyfin/jellyfin-env.js";

const ID = "0123456789abcdef0123456789abcdef";

test("titles: episodes carry series and season/episode, movies their year", { timeout: 5000 }, () => {
  const ep = { Id: ID, Type: "Episode", SeriesName: "Test Pattern", ParentIndexNumber: 1, IndexNumber: 2, Name: "The Sine Wave" };
  assert.equal(itemTitle(ep), "Test Pattern · S1:E2 · The Sine Wave");
  assert.equal(itemTitle({ ...ep, ParentIndexNumber: undefined }), "Test Pattern · E2 · The Sine Wave");
  assert.equal(itemTitle({ ...ep, ParentIndexNumber: 0, IndexNumber: 3 }), "Test Pattern · S0:E3 · The Sine Wave", "specials are season 0");
  assert.equal(itemTitle({ ...ep, ParentIndexNumber: undefined, IndexNumber: undefined, Name: "" }), "Test Pattern");
  assert.equal(itemTitle({ Id: ID, Type: "Movie", Name: "Big Test Movie", ProductionYear: 2024 }), "Big Test Movie (2024)");
  assert.equal(itemTitle({ Id: ID, Type: "Video", Name: " Home video " }), "Home video");
  assert.equal(itemTitle({ Id: ID }), null);
});

test("item ids in Jellyfin URLs: direct play, HLS, PlaybackInfo; none in blob: or other paths", { timeout: 5000 }, () => {
  const up = ID.toUpperCase();
  assert.equal(itemIdFromUrl(`http://jf/Videos/${ID}/stream.mkv?Static=true&mediaSourceId=x&ApiKey=t`), ID);
  assert.equal(itemIdFromUrl(`http://jf/Videos/${up}/stream?static=true`), ID, "lower-cased");
  assert.equal(itemIdFromUrl(`https://jf/base/videos/${ID}/master.m3u8?MediaSourceId=${ID}`), ID);
  assert.equal(itemIdFromUrl(`http://jf/Audio/${ID}/universal`), ID);
  assert.equal(itemIdFromUrl(`http://jf/Items/${ID}/PlaybackInfo`), ID);
  assert.equal(itemIdFromUrl(`http://jf/Items/${ID}`), ID);
  assert.equal(itemIdFromUrl("blob:http://jf/4f1c2a8e-0000-4000-8000-000000000000"), null);
  assert.equal(itemIdFromUrl(`http://jf/Users/${ID}/Items`), null);
  assert.equal(itemIdFromUrl(`http://jf/Videos/${ID}x/stream`), null, "33 hex digits is not an id");
});

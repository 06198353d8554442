/**
 * Standalone watch-party page, served by the party server at `/` (or under
 * any sub-path through a reverse proxy). Connects to `ws` next to the page
 * (paths.ts). Tests set `window.__OSP_TEST__ = true` (init
 * script) to get `window.__party` for driving and inspecting the page.
 */
import { App } from "./app.js";
import { Banner } from "./banner.js";
import { wsUrl } from "./paths.js";

const banner = new Banner();
const root = document.getElementById("app") ?? document.body;
document.body.insertBefore(banner.el, root);
const app = new App(root, banner, wsUrl());

interface TestWindow {
  __OSP_TEST__?: boolean;
  __party?: App;
}
const w = window as unknown as TestWindow;
if (w.__OSP_TEST__) w.__party = app;

void app.start();

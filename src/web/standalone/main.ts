/**
 * Standalone watch-party page, served by the party server at `/`. Connects
 * to the same origin's `/ws`. Tests set `window.__OSP_TEST__ = true` (init
 * script) to get `window.__party` for driving and inspecting the page.
 */
import { App } from "./app.js";
import { Banner } from "./banner.js";

const banner = new Banner();
const root = document.getElementById("app") ?? document.body;
document.body.insertBefore(banner.el, root);
const serverUrl = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws`;
const app = new App(root, banner, serverUrl);

interface TestWindow {
  __OSP_TEST__?: boolean;
  __party?: App;
}
const w = window as unknown as TestWindow;
if (w.__OSP_TEST__) w.__party = app;

void app.start();

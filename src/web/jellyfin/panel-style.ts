/** The panel's CSS, scoped by its shadow root. */
export const PANEL_CSS = `
:host { all: initial; }
.panel { position: fixed; top: 4.5em; right: 1em; z-index: 100000; width: 20em; max-height: 75vh; overflow: auto;
  background: #202020f2; color: #eee; font: 14px/1.4 system-ui, sans-serif; border-radius: 8px; padding: 12px;
  box-shadow: 0 4px 20px #000a; }
.panel[hidden] { display: none; }
h2 { font-size: 16px; margin: 0 0 8px; display: flex; justify-content: space-between; align-items: center; }
h3 { font-size: 13px; margin: 12px 0 4px; color: #aaa; text-transform: uppercase; letter-spacing: .05em; }
ul { list-style: none; margin: 0; padding: 0; }
li { display: flex; justify-content: space-between; align-items: center; padding: 3px 0; gap: 6px; }
button { background: #00a4dc; color: #fff; border: 0; border-radius: 4px; padding: 4px 10px; font: inherit; cursor: pointer; }
button.ghost { background: transparent; color: #aaa; }
input { flex: 1; min-width: 0; background: #333; color: #eee; border: 1px solid #555; border-radius: 4px; padding: 4px 6px; font: inherit; }
form { display: flex; gap: 6px; margin-top: 6px; }
.muted { color: #999; font-size: 12px; }
.sync { font-size: 12px; color: #8c8; } .sync.off { color: #ec8; }
.chat { max-height: 10em; overflow: auto; background: #181818; border-radius: 4px; padding: 4px 6px; }
.chat p { margin: 2px 0; } .chat b { color: #00a4dc; }
.error { color: #f88; font-size: 12px; }
.invite { display: flex; gap: 6px; align-items: center; margin-top: 6px; } .invite label { color: #aaa; font-size: 12px; }
.player-line { margin-top: 4px; }
`;

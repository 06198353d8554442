/**
 * The Watch Party buttons: one in the player OSD (next to Jellyfin's own
 * buttons, `.videoOsdBottom .buttons` / `.osdControls`), one in the header
 * (`.skinHeader .headerRight`, before SyncPlay's). Idempotent: called on
 * every `viewshow`.
 */
const MARK = "data-osp-button";

function makeButton(where: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.setAttribute(MARK, where);
  b.className = "paper-icon-button-light autoSize";
  b.title = "Watch Party";
  b.setAttribute("aria-label", "Watch Party");
  const icon = document.createElement("span");
  icon.className = "material-icons groups";
  icon.setAttribute("aria-hidden", "true");
  b.append(icon);
  b.addEventListener("click", (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

export function ensureButtons(onClick: () => void): void {
  const osd =
    document.querySelector(".videoOsdBottom .buttons") ?? document.querySelector("#videoOsdPage .osdControls");
  if (osd && !osd.querySelector(`[${MARK}]`)) {
    const before = osd.querySelector(".btnVideoOsdSettings");
    osd.insertBefore(makeButton("osd", onClick), before && before.parentElement === osd ? before : null);
  }
  const header = document.querySelector(".skinHeader .headerRight");
  if (header && !header.querySelector(`[${MARK}]`)) {
    header.insertBefore(makeButton("header", onClick), header.querySelector(".headerSyncButton"));
  }
}

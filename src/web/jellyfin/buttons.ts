/**
 * The Watch Party buttons: one in the player OSD (before the settings
 * button, `.videoOsdBottom .buttons` / `.osdControls`), one in the header
 * (`.skinHeader .headerRight`, before SyncPlay's). Their icon is our own
 * inline SVG — a screen with a play mark and a link — so they never look
 * like SyncPlay's Material `groups` icon beside them, and need no icon
 * font. Label: "Watch Party (OpenSyncParty)". Idempotent: called on every
 * `viewshow` and DOM change.
 */
const MARK = "data-osp-button";
const LABEL = "Watch Party (OpenSyncParty)";
const SVG_NS = "http://www.w3.org/2000/svg";
/** 24×24: a screen with a play triangle, and two chain links under it. */
const ICON_PATHS = [
  "M3 3h18a1 1 0 0 1 1 1v11a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zm1 2v9h16V5z",
  "M10 6.8v5.4l4.6-2.7z",
  "M7.5 18h4v1.6h-4a.8.8 0 0 0 0 1.6h4V22.8h-4a2.4 2.4 0 0 1 0-4.8zm5 0h4a2.4 2.4 0 0 1 0 4.8h-4v-1.6h4a.8.8 0 0 0 0-1.6h-4zm-3 1.6h5v1.6h-5z",
];

function makeIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "24");
  svg.setAttribute("height", "24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("fill", "currentColor");
  svg.setAttribute("class", "osp-icon");
  for (const d of ICON_PATHS) {
    const p = document.createElementNS(SVG_NS, "path");
    p.setAttribute("d", d);
    svg.append(p);
  }
  return svg;
}

function makeButton(where: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.setAttribute(MARK, where);
  b.className = `paper-icon-button-light autoSize ${where === "header" ? "headerButton headerButtonRight" : ""}`.trim();
  b.title = LABEL;
  b.setAttribute("aria-label", LABEL);
  b.style.position = "relative";
  b.append(makeIcon());
  b.addEventListener("click", (e) => {
    e.stopPropagation();
    onClick();
  });
  return b;
}

export function ensureButtons(onClick: () => void): void {
  const osd = document.querySelector(".videoOsdBottom .buttons") ?? document.querySelector("#videoOsdPage .osdControls");
  if (osd && !osd.querySelector(`[${MARK}]`)) {
    const before = osd.querySelector(".btnVideoOsdSettings");
    osd.insertBefore(makeButton("osd", onClick), before && before.parentElement === osd ? before : null);
  }
  const header = document.querySelector(".skinHeader .headerRight");
  if (header && !header.querySelector(`[${MARK}]`)) {
    const sync = header.querySelector(".headerSyncButton");
    header.insertBefore(makeButton("header", onClick), sync && sync.parentElement === header ? sync : null);
  }
}

/** Takes the Watch Party buttons away (the party ended with the user's sign-out). */
export function removeButtons(): void {
  for (const b of document.querySelectorAll(`[${MARK}]`)) b.remove();
}

/** A dot on the buttons while this browser is in a party (`data-osp-active`). */
export function markButtons(inRoom: boolean): void {
  for (const b of document.querySelectorAll<HTMLElement>(`[${MARK}]`)) {
    if (inRoom === b.hasAttribute("data-osp-active")) continue;
    b.toggleAttribute("data-osp-active", inRoom);
    b.querySelector(".osp-dot")?.remove();
    if (inRoom) {
      const dot = document.createElement("span");
      dot.className = "osp-dot";
      dot.style.cssText = "position:absolute;top:.2em;right:.2em;width:.5em;height:.5em;border-radius:50%;background:#00a4dc;";
      b.append(dot);
    }
  }
}

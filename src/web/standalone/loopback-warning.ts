/**
 * A media link on "this computer" (localhost, 127.0.0.0/8, ::1) in a party
 * whose invite link uses another address: on a friend's computer the link
 * points at the friend's own machine (and Chromium blocks a page on a
 * network address from loading loopback media), so the friend cannot play
 * it. The host is warned — when typing the link, and in the room while the
 * media is such a link — in words, not blocked (a party on one computer is
 * fine).
 */
import { isLoopbackHost } from "./probe.js";

/** The warning for media `mediaUrl` in a party invited to at `invite`; null when friends can reach it as far as we can tell. */
export function loopbackMediaWarning(mediaUrl: string, invite: URL): string | null {
  let media: URL;
  try {
    media = new URL(mediaUrl.trim());
  } catch {
    return null;
  }
  if (!isLoopbackHost(media.hostname) || isLoopbackHost(invite.hostname)) return null;
  const reachable = new URL(media);
  reachable.hostname = invite.hostname;
  return `Friends can't play this media: ${media.hostname} means "this computer", so on a friend's computer the link points at their own machine, while your invite link uses ${invite.hostname}. Use an address friends can reach, for example ${reachable.toString()} (with the media server listening on it).`;
}

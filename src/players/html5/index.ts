/** The HTML5 media element player adapter and its media loader. */
export { Html5Player, type Html5PlayerOptions } from "./html5-player.js";
export { HLS_MIME_TYPE, type LoadedMedia, type LoadMediaOptions, loadMedia, looksLikeHls } from "./load-media.js";
export type { HlsConstructor } from "./hls-source.js";
export {
  clampRate,
  MAX_PLAYBACK_RATE,
  MEDIA_LOAD_ERROR_EVENT,
  MIN_PLAYBACK_RATE,
  type MediaLoadErrorDetail,
} from "./media-state.js";
export type { SeekTiming } from "./seek-tracker.js";

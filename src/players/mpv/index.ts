/** The mpv player adapter: JSON IPC client, Player adapter, launcher. */
export { type LaunchedMpv, type LaunchMpvOptions, defaultIpcPath, launchMpv } from "./launch-mpv.js";
export { type MpvCommandOptions, MpvError, type MpvEvent, MpvIpc, type MpvIpcConnectOptions } from "./mpv-ipc.js";
export { MpvPlayer, type MpvPlayerOptions } from "./mpv-player.js";

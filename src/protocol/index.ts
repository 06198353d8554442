/** The isomorphic protocol module: no Node or DOM imports. Validators live in `./schemas.js`. */
export * from "./close-codes.js";
export * from "./errors.js";
export * from "./messages.js";
export * from "./timeline.js";
export * from "./version.js";

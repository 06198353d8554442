/** What the core needs of a logger (pino's shape). Libraries don't log on their own; the app passes one in. */
export interface CoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: CoreLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A warning that may repeat per connection or per request (refusals, an
 * upstream outage): logged the first time, then at most once per `everyMs`
 * with `repeats`, how many times it happened since the last line. A flood
 * or a reconnect loop is one problem, not a line per try.
 */
export class RepeatedWarning {
  private lastAt = Number.NEGATIVE_INFINITY;
  private since = 0;

  constructor(
    private readonly log: CoreLogger,
    private readonly msg: string,
    private readonly everyMs = 10_000,
  ) {}

  note(fields: object): void {
    const now = performance.now();
    this.since++;
    if (now - this.lastAt < this.everyMs) return;
    this.log.warn({ ...fields, repeats: this.since }, this.msg);
    this.lastAt = now;
    this.since = 0;
  }
}

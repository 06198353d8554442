/**
 * The zod the server validates with: zod's functional API (`zod/mini`) with
 * English messages, plus `object()`, an object schema on zod's compiled
 * (JIT) object parser.
 *
 * Why not `import { z } from "zod"`: zod's classic API gives every schema
 * dozens of method closures and brings ≈ 250 KB of source the process keeps;
 * `opensyncparty serve` held 1.1 MB more once settled (4.0 MB more 1 s after
 * start) than with the same shapes in `zod/mini` (docs/benchmarks.md, "Issue
 * 14, idle RSS: persistent savings"). `zod/mini`'s own `object()` interprets
 * every parse (2.3× the CPU per message); `object()` below uses the parser
 * classic's objects use, so parsing costs what it did. Messages are the same issues, same English
 * text (`details` of `invalid_payload` and ConfigError come from them).
 * `object()` composes zod's core building blocks ($constructor, the JIT
 * parser's init): package.json pins zod to 4.6.x (`~`) so an installed
 * library gets the version test/unit/protocol/zod.test.ts checked.
 */
import * as z from "zod/mini";
import { $constructor, $ZodObjectJIT, type $ZodObjectInternals, type $ZodShape, type $strip, util } from "zod/v4/core";
import en from "zod/v4/locales/en.js";

z.config(en());

const miniType: { init(inst: object, def: $ZodObjectInternals["def"]): void } = z.ZodMiniType;

// zod/mini's ZodMiniObject with the compiled parser: its init steps, $ZodObjectJIT in place of $ZodObject.
const ZodMiniObjectJIT = $constructor("ZodMiniObjectJIT", (inst: z.ZodMiniObject, def: $ZodObjectInternals["def"]) => {
  $ZodObjectJIT.init(inst, def);
  miniType.init(inst, def);
  util.installLazyProp(inst, "shape", (self) => self._zod.def.shape, false);
});

/** `z.object(shape)` (extra keys stripped) parsed by zod's compiled object parser; `z.extend` and `.check` keep it. */
export function object<T extends $ZodShape>(shape: T): z.ZodMiniObject<T, $strip> {
  return new ZodMiniObjectJIT({ type: "object", shape }) as unknown as z.ZodMiniObject<T, $strip>;
}


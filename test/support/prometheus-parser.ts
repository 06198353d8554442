/**
 * Parses Prometheus text exposition with the official Python client's
 * parser (`prometheus_client.parser`, Debian package
 * python3-prometheus-client): it raises on malformed names, labels and
 * values. (The npm parser we tried, parse-prometheus-text-format 1.1,
 * drops the labels, count and sum of a labelled histogram.) Outside CI a
 * missing parser skips the test; under CI it fails it.
 */
import { execFile, spawnSync } from "node:child_process";
import type { TestContext } from "node:test";

const PYTHON = "/usr/bin/python3";
const SCRIPT = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
def num(v):
    return repr(v) if math.isnan(v) or math.isinf(v) else v
out = [{"name": f.name, "type": f.type, "help": f.documentation,
        "samples": [{"name": s.name, "labels": s.labels, "value": num(s.value)} for s in f.samples]}
       for f in text_string_to_metric_families(sys.stdin.read())]
print(json.dumps(out))
`;

export interface Sample {
  name: string;
  labels: Record<string, string>;
  /** A number, or "nan" / "inf" / "-inf". */
  value: number | string;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "unknown" | string;
  help: string;
  samples: Sample[];
}

/** Skips (outside CI) and returns false when the parser is not installed. */
export function requirePrometheusParser(t: TestContext): boolean {
  const r = spawnSync(PYTHON, ["-c", "import prometheus_client.parser"], { stdio: "ignore" });
  if (r.status === 0) return true;
  const why = "python3-prometheus-client is not installed (apt-get install python3-prometheus-client)";
  if (process.env["CI"]) throw new Error(why);
  t.skip(why);
  return false;
}

/** Rejects with the parser's message when the text is not valid exposition format. */
export function parsePrometheusText(text: string): Promise<Family[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ["-c", SCRIPT], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`Prometheus parser refused /metrics: ${stderr.trim().split("\n").at(-1) ?? err.message}`));
      resolve(JSON.parse(stdout) as Family[]);
    });
    child.stdin?.end(text);
  });
}

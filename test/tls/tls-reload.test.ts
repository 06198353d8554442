/**
 * Renewed certificates without a restart: replacing the certificate files
 * (as certbot does: new files renamed into place) makes the next TLS
 * connection see the new certificate; a mismatched pair is refused and the
 * current certificate kept; reloadTls() (the SIGHUP path) re-reads on demand.
 */
import assert from "node:assert/strict";
import { copyFileSync, renameSync } from "node:fs";
import { join } from "node:path";
import { get } from "node:https";
import { test } from "node:test";
import { connect } from "node:tls";
import { startServer } from "../support/server.js";
import { makeSelfSignedCert, tempDir } from "../support/tls-cert.js";
import { waitFor } from "../support/wait-for.js";

/** The SHA-256 fingerprint of the certificate a new TLS connection to `port` is given. */
function servedFingerprint(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, servername: "localhost", rejectUnauthorized: false }, () => {
      const fp = socket.getPeerCertificate().fingerprint256;
      socket.end();
      resolve(fp);
    });
    socket.once("error", reject);
  });
}

/** Puts `from`'s files at `to`'s paths the way certbot does: write aside, then rename over. */
function replace(from: { certFile: string; keyFile: string }, to: { certFile: string; keyFile: string }): void {
  for (const [src, dst] of [[from.keyFile, to.keyFile], [from.certFile, to.certFile]] as const) {
    copyFileSync(src, `${dst}.new`);
    renameSync(`${dst}.new`, dst);
  }
}

test("a replaced certificate is served to new connections without a restart", { timeout: 30_000 }, async (t) => {
  const live = tempDir(t);
  const spare = tempDir(t);
  const first = await makeSelfSignedCert(live, "live");
  const second = await makeSelfSignedCert(spare, "second");
  const server = await startServer(t, { tlsCertFile: first.certFile, tlsKeyFile: first.keyFile });
  const port = Number(new URL(server.httpUrl).port);
  assert.equal(await servedFingerprint(port), first.fingerprint256);
  assert.notEqual(first.fingerprint256, second.fingerprint256);

  replace(second, first);
  await waitFor(async () => (await servedFingerprint(port)) === second.fingerprint256, "the new certificate on a new connection", 10_000);
  const status = await new Promise<number | undefined>((resolve, reject) =>
    get(`${server.httpUrl}/health`, { rejectUnauthorized: false }, (res) => resolve(res.resume().statusCode)).once("error", reject),
  );
  assert.equal(status, 200, "the same port still serves HTTPS after the reload");
});

test("a mismatched certificate and key are refused and the current certificate kept; reloadTls re-reads on demand", { timeout: 30_000 }, async (t) => {
  const live = tempDir(t);
  const spare = tempDir(t);
  const first = await makeSelfSignedCert(live, "live");
  const second = await makeSelfSignedCert(spare, "second");
  const server = await startServer(t, { tlsCertFile: first.certFile, tlsKeyFile: first.keyFile });
  const port = Number(new URL(server.httpUrl).port);

  // Only the certificate renewed so far: the pair does not match.
  copyFileSync(second.certFile, join(live, "live.crt"));
  assert.equal(server.reloadTls(), false);
  assert.equal(await servedFingerprint(port), first.fingerprint256);

  copyFileSync(second.keyFile, join(live, "live.key"));
  assert.equal(server.reloadTls(), true);
  assert.equal(await servedFingerprint(port), second.fingerprint256);
});

import assert from "node:assert/strict";
import type { NetworkInterfaceInfo } from "node:os";
import { test } from "node:test";
import { guessLanUrl } from "../../../src/server/lan-url.js";

const nic = (address: string, family: "IPv4" | "IPv6", internal: boolean) =>
  ({ address, family, internal, netmask: "", mac: "", cidr: null }) as NetworkInterfaceInfo;

const interfaces = {
  lo: [nic("127.0.0.1", "IPv4", true), nic("::1", "IPv6", true)],
  eth0: [nic("fe80::1", "IPv6", false), nic("192.168.1.20", "IPv4", false)],
};

test("guessLanUrl: the first non-internal IPv4 address when listening on every interface", { timeout: 30_000 }, () => {
  assert.equal(guessLanUrl("0.0.0.0", 3001, interfaces), "http://192.168.1.20:3001/");
  assert.equal(guessLanUrl("::", 8080, interfaces), "http://192.168.1.20:8080/");
});

test("guessLanUrl: the bound address itself; none on loopback or without a LAN address", { timeout: 30_000 }, () => {
  assert.equal(guessLanUrl("10.0.0.5", 3001, interfaces), "http://10.0.0.5:3001/");
  assert.equal(guessLanUrl("fd00::5", 3001, interfaces), "http://[fd00::5]:3001/");
  assert.equal(guessLanUrl("127.0.0.1", 3001, interfaces), null);
  assert.equal(guessLanUrl("0.0.0.0", 3001, { lo: interfaces.lo }), null);
});

import { describe, expect, it } from "vitest";
import {
  gatewayFromIpRoute,
  gatewayFromProcRoute,
  isPrivateIpv4,
  wslGateway,
} from "../../../src/discovery/wsl.js";
import { fakeSystem } from "./helpers.js";

const PROC_ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
eth0\t0000A8C0\t00000000\t0001\t0\t0\t0\t00F0FFFF\t0\t0\t0
`;

describe("the WSL default gateway", () => {
  it("decodes /proc/net/route (little-endian hex)", () => {
    expect(gatewayFromProcRoute(PROC_ROUTE)).toBe("192.168.0.1");
    expect(gatewayFromProcRoute(PROC_ROUTE.replace("0100A8C0", "011014AC"))).toBe("172.20.16.1");
  });

  it("finds nothing without a default route", () => {
    expect(gatewayFromProcRoute(PROC_ROUTE.split("\n").filter((l) => !l.includes("\t00000000\t0100")).join("\n"))).toBe(
      undefined,
    );
    expect(gatewayFromProcRoute("")).toBeUndefined();
  });

  it("parses ip route", () => {
    expect(gatewayFromIpRoute("default via 172.29.64.1 dev eth0 proto kernel\n")).toBe("172.29.64.1");
    expect(gatewayFromIpRoute("10.0.0.0/8 dev eth0\n")).toBeUndefined();
  });

  it.each([
    ["10.1.2.3", true],
    ["172.16.0.1", true],
    ["172.31.255.254", true],
    ["172.32.0.1", false],
    ["172.15.0.1", false],
    ["192.168.5.1", true],
    ["192.0.2.1", false],
    ["8.8.8.8", false],
    ["127.0.0.1", false],
    ["10.0.0.256", false],
    ["fe80::1", false],
  ])("isPrivateIpv4(%s) = %s", (address, expected) => {
    expect(isPrivateIpv4(address)).toBe(expected);
  });

  it("reads /proc/net/route first and ignores a public gateway", async () => {
    const system = fakeSystem({}, { "/proc/net/route": PROC_ROUTE });
    expect(await wslGateway(system)).toBe("192.168.0.1");
    expect(system.calls).toEqual([]);
    const publicGateway = fakeSystem({}, { "/proc/net/route": PROC_ROUTE.replace("0100A8C0", "010200C0") });
    expect(await wslGateway(publicGateway)).toBeUndefined();
  });

  it("falls back to ip route without procfs", async () => {
    const system = fakeSystem({ "ip route show default": { stdout: "default via 172.20.0.1 dev eth0\n" } });
    expect(await wslGateway(system)).toBe("172.20.0.1");
    expect(await wslGateway(fakeSystem({}))).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { addressKey } from "../../src/modules/auth/login-guards";

describe("the address login limits count by", () => {
  it("is an IPv6 address's /64, however the address is written", () => {
    for (const address of ["2001:db8:1:2::1", "2001:0DB8:0001:0002:ffff:ffff:ffff:ffff", "2001:db8:1:2:3:4:5:6"]) {
      expect(addressKey(address), address).toBe("2001:db8:1:2::/64");
    }
    expect(addressKey("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressKey("2001:db8:1:3::1")).not.toBe(addressKey("2001:db8:1:2::1"));
  });

  it("is the whole IPv4 address, also when a dual-stack socket reports it IPv4-mapped", () => {
    expect(addressKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressKey("::ffff:203.0.113.8")).not.toBe(addressKey("::ffff:203.0.113.7"));
  });

  it("is anything else unchanged, rather than lumping unparsable values together", () => {
    for (const odd of ["unknown", "fe80::1%eth0", "2001:db8::1::2", "1:2:3:4:5:6:7:8:9", "64:ff9b::198.51.100.1", ""]) {
      expect(addressKey(odd), odd).toBe(odd);
    }
  });
});

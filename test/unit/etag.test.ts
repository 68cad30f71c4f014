// Unit test of entity tags and preconditions: shared by every versioned resource, so it stays when a
// service drops the products example (generate service --without-products) before adding its own.
import { describe, expect, it } from "vitest";
import { etagFor, noneMatchHits, pinnedVersion } from "../../src/core/etag";

const id = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";
const other = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e60";

describe("entity tags", () => {
  it("are strong, quoted, and change exactly with the version", () => {
    expect(etagFor(id, 3)).toBe(`"${id}.3"`);
    expect(etagFor(id, 4)).not.toBe(etagFor(id, 3));
  });

  it("If-None-Match compares weakly, in lists, and * hits any representation", () => {
    const etag = etagFor(id, 2);
    expect(noneMatchHits(undefined, etag)).toBe(false);
    expect(noneMatchHits(etag, etag)).toBe(true);
    expect(noneMatchHits(`W/${etag}`, etag)).toBe(true);
    expect(noneMatchHits(`"x", ${etagFor(other, 2)} ,${etag}`, etag)).toBe(true);
    expect(noneMatchHits("*", etag)).toBe(true);
    expect(noneMatchHits(`${etagFor(id, 1)}, ,`, etag)).toBe(false);
  });

  it("If-Match pins the version of this resource's strong tag; absent or * pins none", () => {
    expect(pinnedVersion(undefined, id)).toBeUndefined();
    expect(pinnedVersion("*", id)).toBeUndefined();
    expect(pinnedVersion(`${etagFor(id, 1)}, *`, id)).toBeUndefined();
    expect(pinnedVersion(etagFor(id, 7), id)).toBe(7);
    expect(pinnedVersion(`${etagFor(other, 5)}, ${etagFor(id, 6)}`, id)).toBe(6);
  });

  it("If-Match that can never match is null (a sure 412): weak, another resource's, or a version past integer", () => {
    expect(pinnedVersion(`W/${etagFor(id, 1)}`, id)).toBeNull();
    expect(pinnedVersion(etagFor(other, 1), id)).toBeNull();
    expect(pinnedVersion(`"${id}.2147483648"`, id)).toBeNull();
    expect(pinnedVersion(`"${id}.2147483647"`, id)).toBe(2_147_483_647);
    expect(pinnedVersion("garbage", id)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

/**
 * `q` on products is case-insensitive in every script and blind to NFC/NFD spelling, whatever the
 * database's locale (the embedded test cluster's is `C`, where `lower()`/ILIKE fold ASCII only).
 * Each name carries the test's tag, and so does each query, so other tests' rows never match.
 */
export function searchUnicodeContract(target: ContractTarget) {
  const create = async (tag: string, name: string) => {
    const response = await target.fetch("/api/v1/products", json(productInput(tag, { name })));
    expect(response.status, await response.clone().text()).toBe(201);
    return ((await response.json()) as { id: string }).id;
  };
  const found = async (q: string) => {
    const response = await target.fetch(`/api/v1/products?q=${encodeURIComponent(q)}&limit=100`);
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { data: { id: string }[] }).data.map((product) => product.id).sort();
  };

  describe(`products search in every script (${target.runtime})`, () => {
    it("finds accented Latin, Greek and Cyrillic names in either case", async () => {
      const tag = uniqueTag();
      const eclair = await create(`${tag}-l`, `ÉCLAIR À LA CRÈME ${tag}`);
      const chocolate = await create(`${tag}-g`, `Σοκολάτα γάλακτος ${tag}`);
      const cake = await create(`${tag}-c`, `Шоколадный торт ${tag}`);
      expect(await found(`éclair à la crème ${tag}`)).toEqual([eclair]);
      // Final and medial sigma (ς, σ) both match Σ.
      expect(await found(`ΣΟΚΟΛΆΤΑ ΓΆΛΑΚΤΟΣ ${tag}`)).toEqual([chocolate]);
      expect(await found(`шоколадный ТОРТ ${tag}`)).toEqual([cake]);
      expect(await found(`${tag}`)).toEqual([eclair, chocolate, cake].sort());
    });

    it("matches ß, ẞ and SS alike, and a decomposed spelling as the composed one", async () => {
      const tag = uniqueTag();
      const street = await create(`${tag}-s`, `Straßenbahn ${tag}`);
      // `e` + U+0301 COMBINING ACUTE ACCENT: how some keyboards and file systems spell é.
      const cafe = await create(`${tag}-n`, `Cafe\u0301 crème ${tag}`);
      expect(await found(`STRASSENBAHN ${tag}`)).toEqual([street]);
      expect(await found(`STRAẞENBAHN ${tag}`)).toEqual([street]);
      expect(await found(`CAFÉ CRÈME ${tag}`)).toEqual([cafe]);
      expect(await found(`cafe\u0301 cre\u0300me ${tag}`)).toEqual([cafe]);
    });

    it("keeps accents significant: a letter without its accent is another letter", async () => {
      const tag = uniqueTag();
      await create(`${tag}-a`, `Crème ${tag}`);
      expect(await found(`creme ${tag}`)).toEqual([]);
    });
  });
}

// The generated resource's contract test: every behaviour the CRUD kit gives it, through HTTP, on every target.
import type { Field, Resource } from "../model";
import { invalidValues, orderedValue, otherValue, sampleValue } from "./samples";

/** Fields whose equality filter the test can drive with two sample values (a query string has no negative ints). */
const eqFiltered = (resource: Resource) =>
  resource.fields.filter(
    (field) => field.type !== "int" && field.filters.some((filter) => filter.op === "eq" && filter.name === field.name),
  );

/** A field's value after a create or PUT that omits it. */
const omittedValue = (field: Field) => (field.default === undefined ? "null" : JSON.stringify(field.default));

function tsType(field: Field): string {
  const base = {
    string: "string",
    char: "string",
    text: "string",
    int: "number",
    bigint: "number",
    bool: "boolean",
    decimal: "string",
    timestamp: "string",
    uuid: "string",
    ref: "string",
    enum: field.enumValues.map((value) => JSON.stringify(value)).join(" | "),
  }[field.type];
  return field.optional ? `${base} | null` : base;
}

/** The expression giving the referenced resource's new id inside `xInput(target, tag)`. */
function referenceId(field: Field): string {
  const reference = field.reference;
  if (!reference) return '""';
  const input = `${reference.names.camel}Input`;
  const body = reference.names.kebabPlural === "products" ? `${input}(tag)` : `await ${input}(target, tag)`;
  return `await createdId(target, "/api/v1/${reference.names.kebabPlural}", ${body})`;
}

/** One sort's test: rows with ordered values of the field, listed both ways, ties broken by id. */
function sortTest(resource: Resource, field: Field, scoped: boolean): string {
  const { names } = resource;
  const values = [0, 1, 2].flatMap((index) => orderedValue(field, index) ?? []);
  const key = field.type === "decimal" ? `Number(row.${field.name})` : `row.${field.name}`;
  const scope = scoped ? "q=${tag}&limit=2" : "limit=100";
  return `
      it("sorts by ${field.name} both ways, ties broken by id", async () => {
        const tag = uniqueTag();${values.some((value) => value.includes("base")) ? "\n        const base = randomInt(1_000_000);" : ""}
        const rows: ${names.pascal}Body[] = [];
        for (const [index, value] of ${values.length > 0 ? `[${values.join(", ")}]` : "[undefined, undefined, undefined]"}.entries())
          rows.push((await create(\`\${tag}-\${index}\`${values.length > 0 ? `, { ${field.name}: value }` : ""})).${names.camel});
        const key = (row: ${names.pascal}Body) => ${key};
        const order = [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id < b.id ? -1 : 1)).map((row) => row.id);
        const ids = rows.map((row) => row.id);
        const mine = (items: ${names.pascal}Body[]) => items.map((item) => item.id).filter((id) => ids.includes(id));
        expect(mine(await listAll(\`${scope}&sort=${field.name}\`))).toEqual(order);
        expect(mine(await listAll(\`${scope}&sort=-${field.name}\`))).toEqual([...order].reverse());
      });
`;
}

export function contractTemplate(resource: Resource): string {
  const text = contractBody(resource);
  // The helper only where a sample or a sort's test draws random numbers: an unused one fails the lint.
  return text.replace(
    "RANDOM_INT\n",
    text.includes("randomInt(") ? "const randomInt = (max: number) => Math.floor(Math.random() * max);\n\n" : "\n",
  );
}

function contractBody(resource: Resource): string {
  const { names, fields } = resource;
  const P = names.pascal;
  const path = `/api/v1/${names.kebabPlural}`;
  const search = fields.filter((field) => field.search);
  const filters = eqFiltered(resource);
  const refs = fields.filter((field) => field.type === "ref");
  // Omittable: nullable, or with a default; omitted on create or PUT it takes that value.
  const required = fields.filter((field) => !field.optional && field.default === undefined);
  const optional = fields.filter((field) => field.optional || field.default !== undefined);
  const nullable = fields.filter((field) => field.optional);
  const sorted = fields.filter((field) => field.sort);
  const unsorted = fields.find((field) => !field.sort);
  const unique = fields.filter((field) => field.unique);
  const plain = fields.filter((field) => field.type !== "ref");
  const patchField = plain[0];
  // A patch that changes the row (needs `tag` in scope): a no-op patch keeps the version, so it cannot race or go stale.
  const changedField = patchField ?? refs[0];
  const changingPatch = changedField
    ? `{ ${changedField.name}: ${changedField === patchField ? otherValue(changedField) : referenceId(changedField)} }`
    : "{}";
  const imports = new Map<string, string[]>();
  for (const field of refs) {
    const reference = field.reference;
    if (!reference) continue;
    const list = imports.get(reference.inputModule) ?? [];
    list.push(`${reference.names.camel}Input`);
    imports.set(reference.inputModule, list);
  }
  const targetImports = ["type ContractTarget", "json", "uniqueTag", ...(imports.get("./target") ?? [])].sort((a, b) =>
    a.replace("type ", "").localeCompare(b.replace("type ", "")),
  );
  imports.delete("./target");
  const otherImports = [...imports].map(([module, names]) => `import { ${[...new Set(names)].join(", ")} } from "${module}";`);
  // Lists scoped to one test's rows: by the tag in a searchable field, else by a fresh reference, else the whole list.
  const firstRef = filters.find((field) => field.type === "ref");
  const scope = search.length > 0 ? "q" : firstRef ? "ref" : "none";
  const scopeQuery =
    scope === "q" ? "`q=${tag}`" : scope === "ref" && firstRef ? `\`${firstRef.name}=\${String(base.${firstRef.name})}\`` : '""';

  const validationRows = [
    ...fields.flatMap((field) =>
      invalidValues(field).map(
        ([label, value]) => `        [${JSON.stringify(`${field.name}: ${label}`)}, { ${field.name}: ${value} }, "${field.name}"],`,
      ),
    ),
    '        ["unknown field", { colour: "red" }, "colour"],',
  ].join("\n");

  return `import { describe, expect, it } from "vitest";
import { ${targetImports.join(", ")} } from "./target";
${otherImports.join("\n")}

interface ${P}Body {
  id: string;
${fields.map((field) => `  ${field.name}: ${tsType(field)};`).join("\n")}
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface PageBody {
  data: ${P}Body[];
  nextCursor: string | null;
}

interface ProblemBody {
  code: string;
  status: number;
  requestId: string;
  errors?: { path: string; message: string; code: string }[];
}

const RFC3339_MS = /^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$/;
const UNKNOWN_ID = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";
RANDOM_INT
/** POSTs a body and returns the new resource's id (asserting 201). */
export async function createdId(target: ContractTarget, path: string, body: unknown): Promise<string> {
  const response = await target.fetch(path, json(body));
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** A valid create body with every field set${refs.length > 0 ? " (referenced resources are created first)" : ""}; unique fields get unique values. */
export async function ${names.camel}Input(${refs.length > 0 ? "target: ContractTarget" : "_target: ContractTarget"}, tag: string, overrides: Record<string, unknown> = {}) {
  return {
${fields.map((field) => `    ${field.name}: ${field.type === "ref" ? referenceId(field) : sampleValue(field)},`).join("\n")}
    ...overrides,
  };
}

export function ${names.camelPlural}Contract(target: ContractTarget) {
  const create = async (tag: string, overrides: Record<string, unknown> = {}) => {
    const input = await ${names.camel}Input(target, tag, overrides);
    const response = await target.fetch("${path}", json(input));
    expect(response.status, await response.clone().text()).toBe(201);
    return { input, response, ${names.camel}: (await response.json()) as ${P}Body };
  };
  const get = (id: string, headers: Record<string, string> = {}) => target.fetch(\`${path}/\${id}\`, { headers });
  const problem = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const body = (await response.json()) as ProblemBody;
    expect(body.code).toBe(code);
    expect(body.status).toBe(status);
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
    return body;
  };
  const listAll = async (query: string) => {
    const seen: ${P}Body[] = [];
    let url: string | null = \`${path}?\${query}\`;
    for (let pages = 0; url && pages < 1000; pages++) {
      const response: Response = await target.fetch(url);
      expect(response.status).toBe(200);
      const page = (await response.json()) as PageBody;
      seen.push(...page.data);
      const link = response.headers.get("link");
      if (page.nextCursor) {
        expect(link).toMatch(/^<\\/api\\/v1\\/${names.kebabPlural}\\?.*cursor=.*>; rel="next"$/);
        url = /^<([^>]+)>/.exec(link ?? "")?.[1] ?? null;
      } else {
        expect(link).toBeNull();
        url = null;
      }
    }
    return seen;
  };

  describe(\`${names.wordsPlural} (\${target.runtime})\`, () => {
    describe("create", () => {
      it("creates ${names.article} ${names.words} with Location and ETag, and reads it back", async () => {
        const { input, response, ${names.camel} } = await create(uniqueTag());
        expect(${names.camel}).toMatchObject({ ...input, version: 1 });
        expect(${names.camel}.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(${names.camel}.createdAt).toMatch(RFC3339_MS);
        expect(${names.camel}.updatedAt).toBe(${names.camel}.createdAt);
        expect(response.headers.get("location")).toBe(\`${path}/\${${names.camel}.id}\`);
        expect(response.headers.get("etag")).toBe(\`"\${${names.camel}.id}.1"\`);
        expect(await (await get(${names.camel}.id)).json()).toEqual(${names.camel});
      });
${
  optional.length > 0
    ? `
      it("stores omitted optional fields as ${nullable.length === optional.length ? "null" : "their defaults"}", async () => {
        const tag = uniqueTag();
        const input = await ${names.camel}Input(target, tag);
        const body = Object.fromEntries(Object.entries(input).filter(([key]) => !${JSON.stringify(optional.map((field) => field.name))}.includes(key)));
        const response = await target.fetch("${path}", json(body));
        expect(response.status).toBe(201);
        expect(await response.json()).toMatchObject({ ${optional.map((field) => `${field.name}: ${omittedValue(field)}`).join(", ")} });
      });
`
    : ""
}
      it("replays a create with the same Idempotency-Key and body, and refuses the key with another body", async () => {
        const tag = uniqueTag();
        const input = await ${names.camel}Input(target, tag);
        const key = { "idempotency-key": \`key-\${tag}\` };
        const first = await target.fetch("${path}", json(input, "POST", key));
        expect(first.status, await first.clone().text()).toBe(201);
        expect(first.headers.get("idempotency-replayed")).toBeNull();
        const again = await target.fetch("${path}", json(input, "POST", key));
        expect(again.status).toBe(201);
        expect(again.headers.get("idempotency-replayed")).toBe("true");
        expect(again.headers.get("location")).toBe(first.headers.get("location"));
        expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
        const created = (await first.json()) as ${P}Body;
        expect(await again.json()).toEqual(created);
        expect(await (await get(created.id)).json()).toEqual(created);
${scope === "q" ? "        expect((await listAll(`q=${tag}`)).map((item) => item.id)).toEqual([created.id]);\n" : ""}        const other = await target.fetch("${path}", json(await ${names.camel}Input(target, uniqueTag()), "POST", key));
        const body = await problem(other, 422, "validation_failed");
        expect(body.errors?.[0]?.path).toBe("Idempotency-Key");
      });

      it.each([
${validationRows}
      ])("rejects %s with 422", async (_, overrides, field) => {
        const response = await target.fetch("${path}", json(await ${names.camel}Input(target, uniqueTag(), overrides)));
        const body = await problem(response, 422, "validation_failed");
        expect(body.errors?.map((error) => error.path)).toContain(field);
      });

      it.each(["id", "version", "createdAt", "updatedAt"])("names the server-owned %s as read-only", async (field) => {
        const response = await target.fetch("${path}", json(await ${names.camel}Input(target, uniqueTag(), { [field]: "x" })));
        const body = await problem(response, 422, "validation_failed");
        expect(body.errors).toContainEqual(expect.objectContaining({ path: field, code: "read_only" }));
      });

      it("rejects a body that is not an object or lacks required fields", async () => {
        await problem(await target.fetch("${path}", json([1, 2])), 422, "validation_failed");
        const missing = await problem(await target.fetch("${path}", json({})), 422, "validation_failed");
        expect(missing.errors?.map((error) => error.path).sort()).toEqual(${JSON.stringify(required.map((field) => field.name).sort())});
      });
${unique
  .map(
    (field) => `
      it("answers 409 when ${field.name} is taken", async () => {
        const { ${names.camel} } = await create(uniqueTag());
        const again = await target.fetch("${path}", json(await ${names.camel}Input(target, uniqueTag(), { ${field.name}: ${names.camel}.${field.name} })));
        const body = await problem(again, 409, "conflict");
        expect(body.errors?.[0]?.path).toBe("${field.name}");
      });
`,
  )
  .join("")}${refs
  .map(
    (field) => `
      it("answers 422 when ${field.name} names no ${field.reference?.names.words ?? "resource"}", async () => {
        const response = await target.fetch("${path}", json(await ${names.camel}Input(target, uniqueTag(), { ${field.name}: UNKNOWN_ID })));
        const body = await problem(response, 422, "validation_failed");
        expect(body.errors?.[0]?.path).toBe("${field.name}");
      });
${
  field.reference && field.reference.names.kebabPlural !== "products"
    ? `
      it("keeps a ${field.reference.names.words} that ${names.article} ${names.words} refers to (409 on delete)", async () => {
        const { ${names.camel} } = await create(uniqueTag());
        const response = await target.fetch(\`/api/v1/${field.reference.names.kebabPlural}/\${${names.camel}.${field.name}}\`, { method: "DELETE" });
        await problem(response, 409, "conflict");
      });
`
    : ""
}`,
  )
  .join("")}    });

    describe("get", () => {
      it("answers 304 to a matching If-None-Match and 200 otherwise", async () => {
        const { ${names.camel}, response } = await create(uniqueTag());
        const etag = response.headers.get("etag") ?? "";
        const notModified = await get(${names.camel}.id, { "if-none-match": etag });
        expect(notModified.status).toBe(304);
        expect(notModified.headers.get("etag")).toBe(etag);
        expect(await notModified.text()).toBe("");
        expect((await get(${names.camel}.id, { "if-none-match": \`W/\${etag}\` })).status).toBe(304);
        expect((await get(${names.camel}.id, { "if-none-match": \`"\${${names.camel}.id}.2"\` })).status).toBe(200);
      });

      it("answers 404 for an unknown id and 422 for a malformed one", async () => {
        await problem(await get(UNKNOWN_ID), 404, "not_found");
        const body = await problem(await get("not-a-uuid"), 422, "validation_failed");
        expect(body.errors?.[0]?.path).toBe("id");
      });
    });

    describe("replace (PUT)", () => {
      it("replaces writable fields${optional.length > 0 ? ", resets omitted optional ones," : ""} and bumps the version", async () => {
        const tag = uniqueTag();
        const { ${required.some((field) => field.type === "ref") ? "input, " : ""}${names.camel} } = await create(tag);
        const replacement: Record<string, unknown> = {
${required.map((field) => `          ${field.name}: ${field.type === "ref" ? `input.${field.name}` : otherValue(field)},`).join("\n")}
        };
        const response = await target.fetch(\`${path}/\${${names.camel}.id}\`, json(replacement, "PUT"));
        expect(response.status, await response.clone().text()).toBe(200);
        const replaced = (await response.json()) as ${P}Body;
        expect(replaced).toMatchObject({ ...replacement, ${optional.map((field) => `${field.name}: ${omittedValue(field)}, `).join("")}id: ${names.camel}.id, version: 2, createdAt: ${names.camel}.createdAt });
        expect(response.headers.get("etag")).toBe(\`"\${${names.camel}.id}.2"\`);
      });

      it("requires every required field and answers 404 for an unknown id", async () => {
        const { ${names.camel} } = await create(uniqueTag());
        await problem(await target.fetch(\`${path}/\${${names.camel}.id}\`, json({}, "PUT")), 422, "validation_failed");
        await problem(await target.fetch(\`${path}/\${UNKNOWN_ID}\`, json(await ${names.camel}Input(target, uniqueTag()), "PUT")), 404, "not_found");
      });
    });

    describe("patch (JSON merge patch)", () => {
${
  patchField
    ? `      it("changes only present fields", async () => {
        const tag = uniqueTag();
        const { ${names.camel} } = await create(tag);
        const response = await target.fetch(\`${path}/\${${names.camel}.id}\`, {
          method: "PATCH",
          headers: { "content-type": "application/merge-patch+json" },
          body: JSON.stringify({ ${patchField.name}: ${otherValue(patchField)} }),
        });
        expect(response.status).toBe(200);
        const patched = (await response.json()) as ${P}Body;
        const { ${patchField.name}: _changed, version: _version, updatedAt: _updatedAt, ...unchanged } = ${names.camel};
        expect(patched).toMatchObject({ ...unchanged, version: 2 });
        expect(patched.${patchField.name}).not.toEqual(${names.camel}.${patchField.name});
      });
`
    : ""
}${
  nullable.length > 0
    ? `
      it("clears optional fields with null", async () => {
        const { ${names.camel} } = await create(uniqueTag());
        const response = await target.fetch(\`${path}/\${${names.camel}.id}\`, json({ ${nullable.map((field) => `${field.name}: null`).join(", ")} }, "PATCH"));
        expect(response.status).toBe(200);
        expect(await response.json()).toMatchObject({ ${nullable.map((field) => `${field.name}: null`).join(", ")}, version: 2 });
      });
`
    : ""
}
      it("keeps version, updatedAt and ETag for a patch that changes nothing (RFC 7396)", async () => {
        const { ${names.camel}, response } = await create(uniqueTag());
        for (const patch of [{}${patchField ? `, { ${patchField.name}: ${names.camel}.${patchField.name} }` : ""}]) {
          const answer = await target.fetch(\`${path}/\${${names.camel}.id}\`, json(patch, "PATCH", { "if-match": response.headers.get("etag") ?? "" }));
          expect(answer.status).toBe(200);
          expect(answer.headers.get("etag")).toBe(response.headers.get("etag"));
          expect(await answer.json()).toEqual(${names.camel});
        }
      });

      it("rejects null for required fields and read-only fields, and changes nothing", async () => {
        const { ${names.camel} } = await create(uniqueTag());
${required.length > 0 ? `        await problem(await target.fetch(\`${path}/\${${names.camel}.id}\`, json({ ${required[0]?.name}: null }, "PATCH")), 422, "validation_failed");\n` : ""}        await problem(await target.fetch(\`${path}/\${${names.camel}.id}\`, json({ version: 9 }, "PATCH")), 422, "validation_failed");
        expect(((await (await get(${names.camel}.id)).json()) as ${P}Body).version).toBe(1);
      });
    });

    describe("optimistic concurrency", () => {
      it("412 on a stale If-Match for PUT, PATCH and DELETE, and nothing changes", async () => {
        const tag = uniqueTag();
        const { input, ${names.camel} } = await create(tag);
        const url = \`${path}/\${${names.camel}.id}\`;
        const stale = \`"\${${names.camel}.id}.1"\`;
        expect((await target.fetch(url, json(${changingPatch}, "PATCH", { "if-match": stale }))).status).toBe(200);
        await problem(await target.fetch(url, json({}, "PATCH", { "if-match": stale })), 412, "precondition_failed");
        await problem(await target.fetch(url, json(input, "PUT", { "if-match": stale })), 412, "precondition_failed");
        await problem(await target.fetch(url, { method: "DELETE", headers: { "if-match": stale } }), 412, "precondition_failed");
        await problem(await target.fetch(url, json({}, "PATCH", { "if-match": \`W/"\${${names.camel}.id}.2"\` })), 412, "precondition_failed");
        await problem(await target.fetch(url, json({}, "PATCH", { "if-match": "garbage" })), 412, "precondition_failed");
        expect(((await (await get(${names.camel}.id)).json()) as ${P}Body).version).toBe(2);
        expect((await target.fetch(url, json({}, "PATCH", { "if-match": "*" }))).status).toBe(200);
      });

      it("of writers racing with one ETag exactly one wins", async () => {
        const tag = uniqueTag();
        const { ${names.camel}, response } = await create(tag);
        const etag = response.headers.get("etag") ?? "";
        const patch = ${changingPatch};
        const results = await Promise.all(
          Array.from({ length: 6 }, () => target.fetch(\`${path}/\${${names.camel}.id}\`, json(patch, "PATCH", { "if-match": etag }))),
        );
        const statuses = results.map((result) => result.status);
        expect(statuses.filter((status) => status === 200)).toHaveLength(1);
        expect(statuses.filter((status) => status === 412)).toHaveLength(5);
        expect(((await (await get(${names.camel}.id)).json()) as ${P}Body).version).toBe(2);
      });
    });

    describe("delete", () => {
      it("deletes with 204, then 404", async () => {
        const { ${names.camel} } = await create(uniqueTag());
        const url = \`${path}/\${${names.camel}.id}\`;
        const first = await target.fetch(url, { method: "DELETE", headers: { "if-match": \`"\${${names.camel}.id}.1"\` } });
        expect(first.status).toBe(204);
        expect(await first.text()).toBe("");
        await problem(await get(${names.camel}.id), 404, "not_found");
        await problem(await target.fetch(url, { method: "DELETE" }), 404, "not_found");
      });
    });

    describe("list", () => {
      it("pages with limit, nextCursor and Link in both createdAt orders", async () => {
        const tag = uniqueTag();
        const created: ${P}Body[] = [];
        const first = await create(\`\${tag}-0\`);
        created.push(first.${names.camel});
${scope === "ref" ? "        const base = first.input;\n" : ""}        for (let index = 1; index < 5; index++) {
          created.push((await create(\`\${tag}-\${index}\`${scope === "ref" && firstRef ? `, { ${firstRef.name}: base.${firstRef.name} }` : ""})).${names.camel});
        }
        const ids = created.map((item) => item.id);
        const mine = (items: ${P}Body[]) => items.map((item) => item.id).filter((id) => ids.includes(id));
        const scope = ${scopeQuery};
        expect(mine(await listAll(\`\${scope}&limit=2\`))).toEqual([...ids].reverse());
        expect(mine(await listAll(\`\${scope}&limit=2&sort=createdAt\`))).toEqual(ids);
      });
${sorted.map((field) => sortTest(resource, field, scope === "q")).join("")}${
  scope !== "none"
    ? `
      it("rejects a cursor used with other filters", async () => {
        const tag = uniqueTag();
${scope === "ref" ? "        const base = (await create(`${tag}-0`)).input;\n" : "        await create(`${tag}-0`);\n"}        for (let index = 1; index < 3; index++) await create(\`\${tag}-\${index}\`${scope === "ref" && firstRef ? `, { ${firstRef.name}: base.${firstRef.name} }` : ""});
        const scope = ${scopeQuery};
        const page = (await (await target.fetch(\`${path}?\${scope}&limit=1\`)).json()) as PageBody;
        const cursor = encodeURIComponent(page.nextCursor ?? "");
        expect((await target.fetch(\`${path}?\${scope}&limit=1&cursor=\${cursor}\`)).status).toBe(200);
        await problem(await target.fetch(\`${path}?limit=1&cursor=\${cursor}\`), 422, "validation_failed");
        await problem(await target.fetch(\`${path}?\${scope}&limit=1&sort=createdAt&cursor=\${cursor}\`), 422, "validation_failed");
      });
`
    : ""
}${
  search.length > 0 && filters.length > 0
    ? `
      it("filters by ${filters.map((field) => field.name).join(", ")}", async () => {
        const tag = uniqueTag();
${filters
  .map((field) => {
    const reference = field.reference;
    const other =
      field.type === "ref" && reference
        ? `await createdId(target, "/api/v1/${reference.names.kebabPlural}", ${reference.names.kebabPlural === "products" ? `${reference.names.camel}Input(tag)` : `await ${reference.names.camel}Input(target, tag)`})`
        : otherValue(field);
    return `        const ${field.name}One = await create(\`\${tag}-${field.name}-a\`);
        const ${field.name}Other = await create(\`\${tag}-${field.name}-b\`, { ${field.name}: ${other} });
        const ${field.name}Ids = async (value: unknown) =>
          (await listAll(\`q=\${tag}-${field.name}-&${field.name}=\${String(value)}\`)).map((item) => item.id);
        expect(await ${field.name}Ids(${field.name}One.input.${field.name})).toEqual([${field.name}One.${names.camel}.id]);
        expect(await ${field.name}Ids(${field.name}Other.input.${field.name})).toEqual([${field.name}Other.${names.camel}.id]);`;
  })
  .join("\n")}
      });
`
    : ""
}
      it.each([
        ["limit=0", "limit"],
        ["limit=101", "limit"],
        ["sort=bogus", "sort"],
        ["sort=-bogus", "sort"],
${unsorted ? `        ["sort=${unsorted.name}", "sort"],\n` : ""}        ["cursor=%%%", "cursor"],
${filters.map((field) => `        ["${field.name}=%00bad", "${field.name}"],`).join("\n")}
      ])("rejects %s with 422", async (query, field) => {
        const body = await problem(await target.fetch(\`${path}?\${query}\`), 422, "validation_failed");
        expect(body.errors?.map((error) => error.path)).toContain(field);
      });
    });

    describe("roles", () => {
      it("lets viewers read, editors write and only admins delete", async () => {
        const { input, ${names.camel} } = await create(uniqueTag());
        const url = \`${path}/\${${names.camel}.id}\`;
        expect((await target.as("anonymous")("${path}")).status).toBe(401);
        expect((await target.as("viewer")("${path}")).status).toBe(200);
        expect((await target.as("viewer")(url)).status).toBe(200);
        await problem(await target.as("viewer")("${path}", json(await ${names.camel}Input(target, uniqueTag()))), 403, "forbidden");
        await problem(await target.as("viewer")(url, json({}, "PATCH")), 403, "forbidden");
        expect((await target.as("editor")(url, json(input, "PUT"))).status).toBe(200);
        expect((await target.as("editor")(url, json({}, "PATCH"))).status).toBe(200);
        await problem(await target.as("editor")(url, { method: "DELETE" }), 403, "forbidden");
        expect((await target.as("admin")(url, { method: "DELETE" })).status).toBe(204);
      });
    });
  });
}
`;
}

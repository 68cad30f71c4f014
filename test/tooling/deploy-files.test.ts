// The deployment files nobody can run here (no Docker engine, no cluster, no GitHub): checked for the
// properties that matter. actionlint runs over the workflows in `npm run check`.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";
import { parse, parseAllDocuments } from "yaml";
import { BUDGET_GZIP_BYTES, measureBundle } from "../../scripts/check-bundle-size";
import { dockerRuntime } from "./dockerfile";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFile(path.join(root, file), "utf8");

type Yaml = Record<string, unknown>;
const isObject = (value: unknown): value is Yaml => typeof value === "object" && value !== null && !Array.isArray(value);
const obj = (value: unknown): Yaml => (isObject(value) ? value : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** An image reference with an explicit tag (or digest) that is not `latest`. */
const pinnedImage = (image: string) =>
  /^[^\s:@]+(:[\w.-]+)?(@sha256:[0-9a-f]{64})?$/.test(image) && /[:@]/.test(image) && !/:latest\b/.test(image);

describe("Dockerfile", async () => {
  const { stages, installArgs, cmd } = await dockerRuntime(root);
  const final = stages.at(-1);
  const instructions = (keyword: string) => (final?.instructions ?? []).filter((instruction) => instruction.keyword === keyword);

  it("is multi-stage on an official slim Node 22 image pinned to a release, never latest", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) {
      expect(stage.image).toMatch(/^node:22\.\d+\.\d+-[a-z]+-slim$/);
      expect(pinnedImage(stage.image)).toBe(true);
    }
  });

  it("installs from the lockfile with npm ci in a cached layer, production dependencies only in the final stage", () => {
    const runs = stages.flatMap((stage) => stage.instructions.filter((instruction) => instruction.keyword === "RUN").map((r) => r.args));
    expect(runs.some((run) => /npm ci\b(?!.*--omit=dev)/.test(run))).toBe(true);
    expect(installArgs).toEqual(expect.arrayContaining(["ci", "--omit=dev"]));
    // Only package.json and the lockfile are copied before the install, so the layer is reused until they change.
    for (const stage of stages.slice(0, -1)) {
      const installAt = stage.instructions.findIndex((i) => i.keyword === "RUN" && i.args.includes("npm ci"));
      if (installAt < 0) continue;
      const copiedBefore = stage.instructions.slice(0, installAt).filter((i) => i.keyword === "COPY");
      expect(copiedBefore.map((i) => i.args)).toEqual(["package.json package-lock.json ./"]);
    }
    expect(instructions("RUN").some((run) => /npm (ci|install)/.test(run.args))).toBe(false);
    const prodStage = stages.find((stage) => stage.instructions.some((i) => i.args.includes("--omit=dev")));
    expect(instructions("COPY").some((copy) => copy.args === `--from=${prodStage?.name} /app/node_modules ./node_modules`)).toBe(true);
  });

  it("builds the docs assets and the Node bundle, and ships dist/, public/, drizzle/ and package*.json", () => {
    expect(
      stages.some((stage) =>
        stage.instructions.some((i) => i.args.includes("npm run docs:assets") && i.args.includes("npm run build:node")),
      ),
    ).toBe(true);
    const copies = instructions("COPY").map((copy) => copy.args);
    for (const wanted of [
      /\/app\/dist \.\/dist$/,
      /\/app\/public \.\/public$/,
      /^drizzle \.\/drizzle$/,
      /^package\.json package-lock\.json \.\/$/,
    ]) {
      expect(copies.some((copy) => wanted.test(copy))).toBe(true);
    }
  });

  it("runs as a non-root user, exposes the port, checks /health with node and runs node itself as PID 1", () => {
    const user = instructions("USER").at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(instructions("EXPOSE").map((e) => e.args)).toContain("3000");
    const healthcheck = instructions("HEALTHCHECK").at(-1)?.args ?? "";
    expect(healthcheck).toMatch(/CMD \["node"/);
    expect(healthcheck).toContain("/health");
    expect(healthcheck).not.toMatch(/curl|wget/);
    expect(cmd[0]).toBe("node");
    expect(cmd.at(-1)).toBe("dist/server.js");
    expect(
      instructions("ENV")
        .map((e) => e.args)
        .join(" "),
    ).toMatch(/ENVIRONMENT=production/);
  });

  it("keeps secrets, .git and local state out of the build context (.dockerignore is an allow-list)", async () => {
    const lines = (await read(".dockerignore")).split("\n").filter((line) => line.trim() && !line.startsWith("#"));
    expect(lines[0]).toBe("*");
    const allowed = lines.filter((line) => line.startsWith("!"));
    for (const secret of [".env", ".dev.vars", ".git", "node_modules", ".data", ".wrangler"]) {
      expect(allowed.some((line) => line.slice(1).replace(/\/$/, "") === secret)).toBe(false);
    }
  });
});

describe("docker-compose.yml", async () => {
  const compose = obj(parse(await read("docker-compose.yml"), { merge: true }));
  const services = obj(compose.services);
  const postgres = obj(services.postgres);
  const migrate = obj(services.migrate);
  const app = obj(services.app);

  it("runs Postgres 17 on a named volume with a health check", () => {
    expect(postgres.image).toBe("postgres:17");
    const volume = String(list(postgres.volumes)[0]).split(":")[0] ?? "";
    expect(Object.keys(obj(compose.volumes))).toContain(volume);
    expect(list(obj(postgres.healthcheck).test).join(" ")).toContain("pg_isready");
  });

  it("migrates once (dist/migrate.js) after Postgres is healthy; the service waits for it to succeed", () => {
    expect(migrate.command).toEqual(["node", "dist/migrate.js"]);
    expect(obj(obj(migrate.depends_on).postgres).condition).toBe("service_healthy");
    expect(obj(obj(app.depends_on).migrate).condition).toBe("service_completed_successfully");
    expect(migrate.image).toBe(app.image);
  });

  it("requires a JWT_SECRET and a database password instead of defaulting them, and pins images", () => {
    const environment = obj(app.environment);
    expect(String(environment.JWT_SECRET)).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(String(environment.DATABASE_URL)).toContain("${POSTGRES_PASSWORD:?");
    expect(environment.ENVIRONMENT).toBe("production");
    for (const service of Object.values(services)) {
      const image = String(obj(service).image);
      expect(image).not.toMatch(/:latest$/);
    }
  });
});

describe("Kubernetes manifests (deploy/k8s)", async () => {
  const dir = path.join(root, "deploy/k8s");
  const files = (await readdir(dir)).filter((file) => file.endsWith(".yaml"));
  const documents = await Promise.all(
    files.map(async (file) => {
      const docs = parseAllDocuments(await readFile(path.join(dir, file), "utf8"));
      for (const doc of docs) if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
      return docs.map((doc) => ({ file, doc: obj(doc.toJS()) }));
    }),
  );
  const manifests = documents.flat();
  const ofKind = (kind: string) => manifests.filter(({ doc }) => doc.kind === kind).map(({ doc }) => doc);
  const deployment = ofKind("Deployment")[0] ?? {};
  const podSpec = obj(obj(obj(deployment.spec).template).spec);
  const container = obj(list(podSpec.containers)[0]);
  const job = ofKind("Job")[0] ?? {};
  const jobPod = obj(obj(obj(job.spec).template).spec);

  it("has a Deployment, Service, HorizontalPodAutoscaler, ConfigMap, Secret template and migration Job", () => {
    for (const kind of ["Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap", "Secret", "Job", "Kustomization"]) {
      expect(ofKind(kind), kind).toHaveLength(1);
    }
  });

  it("trusts the one proxy in front of the pods, so login limits see each client's address (not the ingress's)", () => {
    const data = obj(ofKind("ConfigMap")[0]?.data);
    expect(data.TRUSTED_PROXY_HOPS).toBe("1");
    expect(data.ENVIRONMENT).toBe("production");
  });

  it("gives the server the METRICS_TOKEN production requires, from the Secret", () => {
    const fromSecret = list(container.env)
      .map(obj)
      .find((variable) => variable.name === "METRICS_TOKEN");
    expect(obj(obj(fromSecret?.valueFrom).secretKeyRef)).toMatchObject({
      name: obj(ofKind("Secret")[0]?.metadata).name,
      key: "METRICS_TOKEN",
    });
    expect(Object.keys(obj(ofKind("Secret")[0]?.stringData))).toContain("METRICS_TOKEN");
  });

  it("probes liveness on /health and readiness on /ready", () => {
    expect(obj(obj(container.livenessProbe).httpGet).path).toBe("/health");
    expect(obj(obj(container.readinessProbe).httpGet).path).toBe("/ready");
  });

  it("sets resource requests and limits, for the service and the migration", () => {
    for (const c of [container, obj(list(jobPod.containers)[0])]) {
      const resources = obj(c.resources);
      for (const bound of ["requests", "limits"]) {
        expect(obj(resources[bound]).cpu, bound).toBeDefined();
        expect(obj(resources[bound]).memory, bound).toBeDefined();
      }
    }
  });

  it("runs non-root with a read-only root file system and no privilege escalation", () => {
    for (const [pod, c] of [
      [podSpec, container],
      [jobPod, obj(list(jobPod.containers)[0])],
    ] as const) {
      expect(obj(pod.securityContext).runAsNonRoot).toBe(true);
      expect(Number(obj(pod.securityContext).runAsUser)).toBeGreaterThan(0);
      expect(obj(c.securityContext).readOnlyRootFilesystem).toBe(true);
      expect(obj(c.securityContext).allowPrivilegeEscalation).toBe(false);
    }
  });

  it("pins the image to a tag that is not latest (here and in the kustomization)", () => {
    for (const image of [container.image, obj(list(jobPod.containers)[0]).image]) expect(pinnedImage(String(image))).toBe(true);
    for (const override of list(ofKind("Kustomization")[0]?.images)) expect(String(obj(override).newTag)).not.toMatch(/^(latest)?$/);
  });

  it("wires the pieces together by name", () => {
    const name = obj(deployment.metadata).name;
    expect(obj(obj(ofKind("HorizontalPodAutoscaler")[0]?.spec).scaleTargetRef).name).toBe(name);
    const service = obj(ofKind("Service")[0]?.spec);
    expect(obj(service.selector)).toEqual(obj(obj(deployment.spec).selector).matchLabels);
    expect(list(service.ports).map((port) => obj(port).targetPort)).toContain("http");
    const secretName = obj(ofKind("Secret")[0]?.metadata).name;
    const configName = obj(ofKind("ConfigMap")[0]?.metadata).name;
    const refs = JSON.stringify([container.env, container.envFrom, obj(list(jobPod.containers)[0]).env]);
    expect(refs).toContain(`"name":"${secretName}"`);
    expect(refs).toContain(`"name":"${configName}"`);
    expect(obj(list(jobPod.containers)[0]).command).toEqual(["node", "dist/migrate.js"]);
    expect(jobPod.restartPolicy).toBe("Never");
    const listed = list(ofKind("Kustomization")[0]?.resources).map(String);
    for (const file of listed) expect(files).toContain(file);
  });

  it("ships only placeholders in the Secret template", () => {
    const values = Object.values(obj(ofKind("Secret")[0]?.stringData)).map(String);
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).toMatch(/REPLACE_ME|USER:PASSWORD@HOST/);
  });
});

describe("GitHub workflows", async () => {
  const dir = path.join(root, ".github/workflows");
  const workflows = await Promise.all(
    (await readdir(dir)).map(async (file) => {
      const text = await readFile(path.join(dir, file), "utf8");
      return { file, text, workflow: obj(parse(text)) };
    }),
  );
  const byName = (file: string) => workflows.find((w) => w.file === file)?.workflow ?? {};
  const jobs = (workflow: Yaml) => Object.entries(obj(workflow.jobs)).map(([id, job]) => ({ id, job: obj(job) }));

  it("ci, preview and deploy exist, parse, and declare top-level permissions and a concurrency group", () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(expect.arrayContaining(["ci.yml", "deploy.yml", "preview.yml"]));
    for (const { file, workflow } of workflows) {
      expect(workflow.permissions, file).toBeDefined();
      expect(workflow.concurrency, file).toBeDefined();
    }
  });

  it("pins every action to a full commit SHA, with its release as a comment", () => {
    for (const { file, text, workflow } of workflows) {
      const uses = jobs(workflow).flatMap(({ job }) => list(job.steps).map((step) => obj(step).uses));
      for (const action of uses) if (action !== undefined) expect(action, file).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      // A tag can be moved to other code; the comment says which release the SHA is, for updates and review.
      const lines = text.split("\n").filter((line) => /^\s*(- )?uses:/.test(line));
      expect(lines.length, file).toBe(uses.filter((action) => action !== undefined).length);
      for (const line of lines) expect(line, file).toMatch(/uses: \S+@[0-9a-f]{40} # v\d+(\.\d+)*$/);
    }
  });

  it("CI runs on push and pull_request against Postgres 17, and only the publish job may write packages", () => {
    const ci = byName("ci.yml");
    expect(Object.keys(obj(ci.on))).toEqual(expect.arrayContaining(["push", "pull_request"]));
    const writers = workflows.flatMap(({ workflow }) => jobs(workflow)).filter(({ job }) => obj(job.permissions).packages === "write");
    expect(writers.map(({ id }) => id)).toEqual(["publish"]);
    expect(JSON.stringify(ci)).toContain('"image":"postgres:17"');
    expect(JSON.stringify(ci)).toContain("TEST_DATABASE_URL");
  });

  it("previews run on pull_request (never pull_request_target) in the preview environment, never with production secrets", () => {
    const preview = byName("preview.yml");
    expect(Object.keys(obj(preview.on))).toEqual(["pull_request"]);
    for (const { job } of jobs(preview)) {
      const environment = typeof job.environment === "string" ? job.environment : obj(job.environment).name;
      expect(environment).toBe("preview");
    }
    const text = JSON.stringify(preview);
    expect(text).not.toMatch(/secrets\.(DATABASE_URL|MIGRATION_DATABASE_URL)/);
    expect(text).toContain("--env preview");
    expect(text).not.toContain("--env production");
  });

  it("previews refuse to run without a data-free parent branch, before any of the branch's code runs", () => {
    const steps = list(obj(obj(byName("preview.yml").jobs).deploy).steps).map(obj);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub Actions expression, meant literally
    const parent = "${{ vars.NEON_PREVIEW_PARENT_BRANCH }}";
    const create = steps.find((step) => String(step.uses).startsWith("neondatabase/create-branch-action@"));
    // Empty would fork the project's default branch: production data.
    expect(obj(create?.with).parent_branch).toBe(parent);
    const guardAt = steps.findIndex((step) => Object.values(obj(step.env)).includes(parent));
    const checkoutAt = steps.findIndex((step) => String(step.uses).startsWith("actions/checkout@"));
    expect(guardAt).toBeGreaterThanOrEqual(0);
    expect(guardAt).toBeLessThan(checkoutAt);
    // The guard's own script, run as the runner runs it (bash -e), with the variable unset and set.
    const guard = steps[guardAt] ?? {};
    const name = Object.entries(obj(guard.env)).find(([, value]) => value === parent)?.[0] ?? "";
    const run = (value: string) =>
      spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", String(guard.run)], {
        env: { PATH: process.env.PATH, [name]: value },
        encoding: "utf8",
      });
    const refused = run("");
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toMatch(/::error::.*NEON_PREVIEW_PARENT_BRANCH/);
    expect(run("preview-base").status).toBe(0);
  });

  it("production deploys migrate, deploy, smoke-test and can roll back, in the production environment", () => {
    const text = JSON.stringify(byName("deploy.yml"));
    for (const wanted of ["npm run db:migrate", "wrangler deploy --env production", "npm run smoke", "wrangler rollback"]) {
      expect(text).toContain(wanted);
    }
    for (const { id, job } of jobs(byName("deploy.yml"))) {
      if (JSON.stringify(job).includes("secrets.")) expect(obj(job.environment).name, id).toBe("production");
    }
  });

  it("manual deploys and rollbacks run only from main; other refs are refused with a message", () => {
    const deployJobs = jobs(byName("deploy.yml"));
    /** Which jobs GitHub would start for this event: each job-level `if` evaluated as GitHub evaluates it. */
    const started = (context: { github: Yaml; inputs: Yaml }) =>
      deployJobs.filter(({ job }) => job.if === undefined || evaluate(String(job.if), context)).map(({ id }) => id);
    const dispatch = (ref: string, rollbackTo: string) => ({
      github: { event_name: "workflow_dispatch", ref, repository: "o/r" },
      inputs: { rollback_to: rollbackTo },
    });
    const withSecrets = (ids: string[]) => ids.filter((id) => JSON.stringify(obj(obj(byName("deploy.yml").jobs)[id])).includes("secrets."));
    for (const rollbackTo of ["", "version-id"]) {
      const fromBranch = started(dispatch("refs/heads/feature", rollbackTo));
      expect(withSecrets(fromBranch)).toEqual([]);
      expect(fromBranch).toHaveLength(1);
      const fromTag = started(dispatch("refs/tags/v1.0.0", rollbackTo));
      expect(withSecrets(fromTag)).toEqual([]);
    }
    expect(withSecrets(started(dispatch("refs/heads/main", "")))).toEqual(["deploy"]);
    expect(withSecrets(started(dispatch("refs/heads/main", "version-id")))).toEqual(["rollback"]);
    const afterCi = {
      github: {
        event_name: "workflow_run",
        ref: "refs/heads/main",
        repository: "o/r",
        event: { workflow_run: { conclusion: "success", event: "push", head_repository: { full_name: "o/r" } } },
      },
      inputs: {},
    };
    expect(started(afterCi)).toEqual(["deploy"]);
  });
});

/**
 * A GitHub Actions job condition (`==`, `!=`, `&&`, `||`, `!`, parentheses, '…' strings and
 * `github.*` / `inputs.*` properties: what these workflows use), evaluated against a context.
 */
function evaluate(expression: string, context: { github: Yaml; inputs: Yaml }): boolean {
  const tokens = expression.match(/'[^']*'|==|!=|&&|\|\||!|\(|\)|[\w.-]+/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const take = () => tokens[at++];
  const lookup = (name: string): unknown =>
    name.split(".").reduce<unknown>((value, key) => (isObject(value) ? value[key] : undefined), context);
  const primary = (): unknown => {
    const token = take() ?? "";
    if (token === "(") {
      const value = or();
      take();
      return value;
    }
    if (token === "!") return !primary();
    if (token.startsWith("'")) return token.slice(1, -1);
    return lookup(token) ?? "";
  };
  const comparison = (): unknown => {
    const left = primary();
    if (peek() === "==" || peek() === "!=") {
      const operator = take();
      const right = primary();
      return operator === "==" ? left === right : left !== right;
    }
    return left;
  };
  /** A chain of `operand operator operand …`; every operand is read (as GitHub does, without side effects). */
  const chain = (operator: "&&" | "||", operand: () => unknown) => (): unknown => {
    let value = operand();
    while (peek() === operator) {
      take();
      const right = Boolean(operand());
      value = operator === "&&" ? Boolean(value) && right : Boolean(value) || right;
    }
    return value;
  };
  const and = chain("&&", comparison);
  const or = chain("||", and);
  const result = or();
  if (at !== tokens.length) throw new Error(`could not evaluate: ${expression}`);
  return Boolean(result);
}

describe("wrangler.toml environments", () => {
  const environments = [undefined, "preview", "production"] as const;
  // What wrangler makes of wrangler.toml per environment (its own types do not resolve here: the fields we read).
  interface WorkerConfig {
    name: string;
    vars: Record<string, unknown>;
    preview_urls?: boolean;
    ratelimits: { name: string; namespace_id: string }[];
  }
  const configs: WorkerConfig[] = environments.map((env) => unstable_readConfig({ config: path.join(root, "wrangler.toml"), env }));
  /** The names a value binds: binding/name of each entry of a list, the keys of a table. */
  const names = (value: unknown): unknown => {
    if (Array.isArray(value))
      return value.map((item) => (isObject(item) ? (item.binding ?? item.name ?? JSON.stringify(item)) : item)).sort();
    if (isObject(value)) return Object.keys(value).sort();
    return value;
  };

  it("repeat every binding of the top level (development) in preview and production", () => {
    const [development, ...deployed] = configs;
    const base = obj(development);
    const bindingKeys = Object.keys(base).filter((key) => {
      const value = base[key];
      return key !== "routes" && ((Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0));
    });
    expect(bindingKeys).toEqual(expect.arrayContaining(["vars", "ratelimits", "assets", "observability"]));
    for (const config of deployed) {
      for (const key of bindingKeys) {
        // ENVIRONMENT is the one var each deployed environment adds: the top level must not have it.
        const expected = key === "vars" ? [...(names(base[key]) as string[]), "ENVIRONMENT"].sort() : names(base[key]);
        expect(names(obj(config)[key]), `${config.name}: ${key}`).toEqual(expected);
      }
    }
  });

  it("deploy preview and production as separate Workers with their own ENVIRONMENT and counters", () => {
    const [development, preview, production] = configs;
    expect(new Set(configs.map((config) => config.name)).size).toBe(3);
    // A `wrangler deploy` without --env ships the top level: without ENVIRONMENT it answers 503, never development.
    expect(development?.vars).not.toHaveProperty("ENVIRONMENT");
    expect(preview?.vars.ENVIRONMENT).toBe("preview");
    expect(production?.vars.ENVIRONMENT).toBe("production");
    expect(preview?.preview_urls).toBe(true);
    expect(production?.preview_urls).toBe(false);
    const namespaces = (config: WorkerConfig | undefined) => (config?.ratelimits ?? []).map((limit) => limit.namespace_id);
    for (const namespace of namespaces(preview)) expect(namespaces(production)).not.toContain(namespace);
  });
});

describe("scripts/check-bundle-size.ts", () => {
  it("measures the gzip size of a wrangler --outdir against the budget", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "bundle-size-"));
    try {
      await writeFile(path.join(dir, "worker.js"), "export default {};\n".repeat(100));
      await writeFile(path.join(dir, "worker.js.map"), "x".repeat(100_000));
      const size = await measureBundle(dir);
      expect(size.files).toEqual(["worker.js"]);
      expect(size.rawBytes).toBe(1900);
      expect(size.gzipBytes).toBeLessThan(size.rawBytes);
      expect(BUDGET_GZIP_BYTES).toBe(300 * 1024);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

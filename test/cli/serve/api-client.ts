import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { repositoryRoot } from "../../support/built-cli.js";
import { runJsonSchema } from "../../support/run-json-schema.js";

const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

/** schemas/openapi.json, its run schemas resolved against schemas/run.schema.json. */
export const openApi = JSON.parse(readFileSync(join(repositoryRoot, "schemas", "openapi.json"), "utf8")) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
};
const openApiId = "https://prose-lang.dev/schemas/openapi.json";
const runJsonSchemaId = "https://prose-lang.dev/schemas/run.schema.json";
const ajv = new Ajv2020({ allErrors: true, strict: false, allowUnionTypes: true });
addFormats(ajv);
ajv.addSchema(runJsonSchema);
ajv.addSchema({ ...openApi, $id: openApiId });
const compiled = new Map<string, ValidateFunction>();

const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

/** The OpenAPI path template a concrete path matches (`/api/runs/run-…` → `/api/runs/{runId}`). */
function templateOf(path: string): string | undefined {
  for (const template of Object.keys(openApi.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path)) return template;
  }
  return undefined;
}

function validatorAt(key: string): ValidateFunction {
  let validate = compiled.get(key);
  if (validate === undefined) {
    validate = ajv.getSchema(key);
    if (validate === undefined) throw new Error(`no schema at ${key}`);
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Checks a JSON response against what schemas/openapi.json says of its path, method and status:
 * the status must be listed, and the body must follow its schema.
 */
export function checkResponse(method: string, path: string, status: number, body: unknown): void {
  const template = templateOf(path.split("?")[0]!);
  if (template === undefined) {
    // A path the API does not have: a 404 with the one error shape.
    const validate = validatorAt(`${openApiId}#/components/schemas/Error`);
    if (status !== 404 || !validate(body)) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(body).slice(0, 400)}`);
    return;
  }
  const operation = openApi.paths[template]![method.toLowerCase()];
  if (operation === undefined) throw new Error(`schemas/openapi.json has no ${method} ${template}`);
  const response = operation.responses[String(status)];
  if (response === undefined) throw new Error(`schemas/openapi.json lists no ${status} for ${method} ${template}: ${JSON.stringify(body).slice(0, 400)}`);
  const media = response.content?.["application/json"];
  if (media === undefined) return;
  const key = `${openApiId}#/${pointer("paths", template, method.toLowerCase(), "responses", String(status), "content", "application/json", "schema")}`;
  const validate = validatorAt(key);
  if (!validate(body)) throw new Error(`${method} ${path} ${status} breaks schemas/openapi.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 1000)}`);
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** The API through Node's fetch: every JSON answer checked against schemas/openapi.json. */
export class ApiClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  withToken(token: string | undefined): ApiClient {
    return new ApiClient(this.url, token);
  }

  async request<T = any>(method: string, path: string, options: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }), ...options.headers };
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined && headers["content-type"] === undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${this.url}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    const type = response.headers.get("content-type") ?? "";
    const parsed = type.startsWith("application/json") ? (JSON.parse(text) as T) : (text as T);
    if (type.startsWith("application/json")) checkResponse(method, path, response.status, parsed);
    return { status: response.status, headers: response.headers, body: parsed };
  }

  get<T = any>(path: string) {
    return this.request<T>("GET", path);
  }

  post<T = any>(path: string, body?: unknown) {
    return this.request<T>("POST", path, body === undefined ? {} : { body });
  }

  /** The events of a run until the stream ends: [event, data] pairs. */
  async events(runId: string, headers: Record<string, string> = {}): Promise<Array<{ id: number; event: string; data: any }>> {
    const response = await fetch(`${this.url}/api/runs/${runId}/events`, { headers: { authorization: `Bearer ${this.token}`, ...headers } });
    if (response.status !== 200) throw new Error(`events: ${response.status} ${await response.text()}`);
    if (!(response.headers.get("content-type") ?? "").startsWith("text/event-stream")) throw new Error("events: not an event stream");
    const events = parseEvents(await response.text());
    // Every event follows the JSON contract (schemas/run.schema.json, $defs/RunEvent).
    const validate = validatorAt(`${runJsonSchemaId}#/$defs/RunEvent`);
    for (const event of events) if (!validate({ event: event.event, data: event.data })) throw new Error(`the event breaks $defs/RunEvent: ${JSON.stringify(event).slice(0, 400)} ${JSON.stringify(validate.errors)}`);
    return events;
  }
}

export function parseEvents(text: string): Array<{ id: number; event: string; data: any }> {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      const fields = Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)]));
      return { id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data!) };
    });
}

/**
 * An SSM Parameter Store on 127.0.0.1 speaking the AWS JSON 1.1 protocol (`POST /`,
 * `Content-Type: application/x-amz-json-1.1`, `X-Amz-Target: AmazonSSM.<Operation>`), for the
 * real @aws-sdk/client-ssm: PutParameter, GetParameter, GetParametersByPath and DeleteParameter,
 * parameters kept in memory with versions, errors in SSM's shape, every request recorded, and an
 * outage switch to take the service down (and bring it back) in the middle of a test.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface SsmRecordedRequest {
  /** The operation, e.g. "GetParameter" (the `X-Amz-Target` without `AmazonSSM.`). */
  target: string;
  /** Lower-case names. */
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export interface SsmStoredParameter {
  name: string;
  type: "String" | "StringList" | "SecureString";
  value: string;
  version: number;
  keyId?: string;
  description?: string;
  lastModified: Date;
}

/**
 * How the service fails while down: an HTTP 500 with SSM's JSON error, a 503 with an HTML page,
 * a throttling error, a connection destroyed as soon as the request arrives, or no answer at all;
 * or it is not SSM at all: a web page (HTML), as a proxy or a wrong
 * `--endpoint` answers (HTTP 200, 403 or 404).
 */
export type SsmOutage = "500" | "503" | "throttle" | "destroy" | "hang" | "html" | "html-403" | "html-404";

export interface SsmServer {
  url: string;
  port: number;
  region: string;
  requests: SsmRecordedRequest[];
  /** The stored parameters by name (SecureString values in clear: the test is the service). */
  parameters: Map<string, SsmStoredParameter>;
  /** Takes the service down in the given way, or back up with undefined. */
  setOutage(outage: SsmOutage | undefined): void;
  /** Answers AccessDeniedException to these operations (all of them with "*"); none with undefined. */
  denyAccess(targets: string[] | undefined): void;
  /** The requests for one operation. */
  requestsFor(target: string): SsmRecordedRequest[];
  close(): Promise<void>;
}

export interface SsmServerOptions {
  /** The most parameters one GetParametersByPath page holds, whatever MaxResults asks (default 2). */
  pageSize?: number;
  region?: string;
  accountId?: string;
}

class SsmFailure extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const namePattern = /^\/?[A-Za-z0-9_.\-/]{1,1011}$/;

export async function startSsmServer(options: SsmServerOptions = {}): Promise<SsmServer> {
  const pageSize = options.pageSize ?? 2;
  const region = options.region ?? "us-east-1";
  const accountId = options.accountId ?? "123456789012";
  const requests: SsmRecordedRequest[] = [];
  const parameters = new Map<string, SsmStoredParameter>();
  const sockets = new Set<Socket>();
  const held = new Set<http.ServerResponse>();
  let outage: SsmOutage | undefined;
  let denied: Set<string> | undefined;

  const arnOf = (name: string) => `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith("/") ? name : `/${name}`}`;

  const describe = (parameter: SsmStoredParameter, decrypt: boolean) => ({
    Name: parameter.name,
    Type: parameter.type,
    // Without decryption, SSM answers a SecureString with its KMS ciphertext: never the value.
    Value: parameter.type === "SecureString" && !decrypt ? encryptedPlaceholder(parameter) : parameter.value,
    Version: parameter.version,
    LastModifiedDate: parameter.lastModified.getTime() / 1000,
    ARN: arnOf(parameter.name),
    DataType: "text",
  });

  const checkName = (name: unknown): string => {
    if (typeof name !== "string" || !namePattern.test(name) || name.includes("//") || (name.length > 1 && name.endsWith("/"))) {
      throw new SsmFailure("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore).");
    }
    if (/^\/?(aws|ssm)/i.test(name)) throw new SsmFailure("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive).");
    return name;
  };

  const operations: Record<string, (body: Record<string, unknown>) => unknown> = {
    PutParameter: (body) => {
      const name = checkName(body.Name);
      const value = body.Value;
      if (typeof value !== "string" || value.length === 0 || value.length > 4096) {
        throw new SsmFailure("ValidationException", "1 validation error detected: Value at 'value' failed to satisfy constraint: Member must have length between 1 and 4096");
      }
      const existing = parameters.get(name);
      if (existing !== undefined && body.Overwrite !== true) {
        throw new SsmFailure("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set the overwrite option in the request to true.");
      }
      const type = (body.Type ?? existing?.type) as SsmStoredParameter["type"] | undefined;
      if (type !== "String" && type !== "StringList" && type !== "SecureString") {
        throw new SsmFailure("ValidationException", "A parameter type is required when you create a parameter.");
      }
      const parameter: SsmStoredParameter = {
        name,
        type,
        value,
        version: (existing?.version ?? 0) + 1,
        lastModified: new Date(),
        ...(type === "SecureString" ? { keyId: typeof body.KeyId === "string" ? body.KeyId : "alias/aws/ssm" } : {}),
        ...(typeof body.Description === "string" ? { description: body.Description } : {}),
      };
      parameters.set(name, parameter);
      return { Version: parameter.version, Tier: "Standard" };
    },
    GetParameter: (body) => {
      const name = checkName(body.Name);
      const parameter = parameters.get(name);
      if (parameter === undefined) throw new SsmFailure("ParameterNotFound", `Parameter ${name} not found.`);
      return { Parameter: describe(parameter, body.WithDecryption === true) };
    },
    GetParametersByPath: (body) => {
      const path = body.Path;
      if (typeof path !== "string" || !path.startsWith("/") || (path !== "/" && checkName(path) !== path)) {
        throw new SsmFailure("ValidationException", "The parameter doesn't meet the parameter name requirements. The parameter name must begin with a forward slash \"/\".");
      }
      const maxResults = body.MaxResults ?? 10;
      if (typeof maxResults !== "number" || !Number.isInteger(maxResults) || maxResults < 1 || maxResults > 10) {
        throw new SsmFailure("ValidationException", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 10");
      }
      const base = path === "/" ? "/" : `${path}/`;
      const matching = [...parameters.values()]
        .filter((parameter) => parameter.name.startsWith(base) && (body.Recursive === true || !parameter.name.slice(base.length).includes("/")))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      let start = 0;
      if (body.NextToken !== undefined) {
        const decoded = typeof body.NextToken === "string" ? Number(Buffer.from(body.NextToken, "base64").toString("utf8").replace(/^page:/, "")) : Number.NaN;
        if (!Number.isInteger(decoded) || decoded < 0) throw new SsmFailure("ValidationException", "The specified token isn't valid.");
        start = decoded;
      }
      const end = start + Math.min(maxResults, pageSize);
      const page = matching.slice(start, end).map((parameter) => describe(parameter, body.WithDecryption === true));
      return { Parameters: page, ...(end < matching.length ? { NextToken: Buffer.from(`page:${end}`).toString("base64") } : {}) };
    },
    DeleteParameter: (body) => {
      const name = checkName(body.Name);
      if (!parameters.delete(name)) throw new SsmFailure("ParameterNotFound", `Parameter ${name} not found.`);
      return {};
    },
  };

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name] = Array.isArray(value) ? value.join(", ") : (value ?? "");
      const target = (headers["x-amz-target"] ?? "").replace(/^AmazonSSM\./, "");
      let body: Record<string, unknown> = {};
      let malformed = false;
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        else malformed = true;
      } catch {
        malformed = true;
      }
      requests.push({ target, headers, body });

      switch (outage) {
        case "destroy":
          request.socket.destroy();
          return;
        case "hang":
          held.add(response);
          response.on("close", () => held.delete(response));
          return;
        case "500":
          sendError(response, new SsmFailure("InternalServerError", "An error occurred on the server side.", 500));
          return;
        case "503":
          response.writeHead(503, { "content-type": "text/html", "x-amzn-requestid": requestId() });
          response.end("<html><body><h1>503 Service Unavailable</h1></body></html>");
          return;
        case "throttle":
          sendError(response, new SsmFailure("ThrottlingException", "Rate exceeded"));
          return;
        case "html":
        case "html-403":
        case "html-404":
          response.writeHead(outage === "html" ? 200 : Number(outage.slice(5)), { "content-type": "text/html; charset=utf-8" });
          response.end("<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>It works!</p></body></html>");
          return;
        case undefined:
          break;
      }
      try {
        if (request.method !== "POST" || request.url !== "/") throw new SsmFailure("UnknownOperationException", `${request.method} ${request.url} is not an SSM operation.`, 404);
        if (!(headers["content-type"] ?? "").startsWith("application/x-amz-json-1.1")) throw new SsmFailure("SerializationException", "Expected Content-Type application/x-amz-json-1.1.");
        if (!(headers.authorization ?? "").startsWith("AWS4-HMAC-SHA256 ")) throw new SsmFailure("MissingAuthenticationTokenException", "Missing Authentication Token");
        if (malformed) throw new SsmFailure("SerializationException", "The request body is not a JSON object.");
        const operation = operations[target];
        if (operation === undefined) throw new SsmFailure("UnknownOperationException", `Unknown operation ${headers["x-amz-target"] ?? "(none)"}.`);
        if (denied !== undefined && (denied.has("*") || denied.has(target))) {
          const resource = typeof body.Name === "string" ? arnOf(body.Name) : typeof body.Path === "string" ? arnOf(body.Path) : `arn:aws:ssm:${region}:${accountId}:*`;
          throw new SsmFailure(
            "AccessDeniedException",
            `User: arn:aws:iam::${accountId}:user/prose-bot is not authorized to perform: ssm:${target} on resource: ${resource} because no identity-based policy allows the ssm:${target} action`,
          );
        }
        const result = operation(body);
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId() });
        response.end(JSON.stringify(result));
      } catch (error) {
        sendError(response, error instanceof SsmFailure ? error : new SsmFailure("InternalServerError", "An error occurred on the server side.", 500));
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    region,
    requests,
    parameters,
    setOutage: (next) => {
      outage = next;
      if (next === undefined) {
        for (const response of held) response.socket?.destroy();
      }
    },
    denyAccess: (targets) => {
      denied = targets === undefined ? undefined : new Set(targets);
    },
    requestsFor: (target) => requests.filter((request) => request.target === target),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error === undefined ? resolve() : reject(error))));
    },
  };
}

function sendError(response: http.ServerResponse, failure: SsmFailure): void {
  response.writeHead(failure.status, { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": requestId() });
  response.end(JSON.stringify({ __type: failure.type, message: failure.message }));
}

function requestId(): string {
  const hex = randomBytes(16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What SSM shows for a SecureString read without decryption: base64 of a KMS blob, unrelated to the value. */
const placeholders = new WeakMap<SsmStoredParameter, string>();
function encryptedPlaceholder(parameter: SsmStoredParameter): string {
  let placeholder = placeholders.get(parameter);
  if (placeholder === undefined) {
    placeholder = Buffer.concat([Buffer.from([1, 2, 2, 0, 120]), randomBytes(Math.max(48, parameter.value.length + 16))]).toString("base64");
    placeholders.set(parameter, placeholder);
  }
  return placeholder;
}

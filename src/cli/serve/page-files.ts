import { readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import type { FastifyInstance, FastifyReply } from "fastify";
import { errorBody } from "./api-error.js";
import { repositoryPath } from "./repository-file.js";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** `GET /` (web/index.html) and `GET /assets/<name>` (web/<name>): the page, as its files are, no build step. */
export function registerPageFiles(app: FastifyInstance, webFolder: string | undefined = repositoryPath("web")): void {
  const send = async (reply: FastifyReply, name: string) => {
    const type = contentTypes[extname(name).toLowerCase()];
    if (webFolder === undefined || type === undefined) return notFound(reply, name);
    let contents: Buffer;
    try {
      contents = await readFile(join(webFolder, name));
    } catch {
      return notFound(reply, name);
    }
    return reply.header("content-type", type).header("cache-control", "no-cache").send(contents);
  };
  app.get("/", (_request, reply) => send(reply, "index.html"));
  app.get<{ Params: { name: string } }>("/assets/:name", (request, reply) => {
    const name = request.params.name;
    // One plain file name: never a folder, a hidden file or a way out of web/.
    if (!/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,100}$/.test(name) || name.includes("..")) return notFound(reply, name);
    return send(reply, name);
  });
}

function notFound(reply: FastifyReply, name: string) {
  return reply.code(404).send(errorBody(`The page has no file "${name.slice(0, 100)}".`, "Open / for the page; its files are served from /assets/."));
}

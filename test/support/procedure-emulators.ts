import { afterEach } from "vitest";
import { startOpenAiServer } from "./openai-server.js";
import type { ScriptedServer } from "./scripted-server.js";

/**
 * Local provider emulators for a test file: each is closed after its test. Call
 * `closeServersAfterEachTest()` once at the top of the file.
 */
const servers: ScriptedServer[] = [];

export function closeServersAfterEachTest(): void {
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
}

/** Keeps a server so it is closed after the test. */
export function keep(server: ScriptedServer): ScriptedServer {
  servers.push(server);
  return server;
}

/** An OpenAI emulator and the environment that points the OpenAI adapter at it. */
export async function openAi() {
  const server = keep(await startOpenAiServer());
  return { server, environment: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${server.url}/v1` } };
}

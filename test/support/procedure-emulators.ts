import { afterEach, beforeEach } from "vitest";
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

/**
 * An OpenAI emulator started before each test of the file (and closed after it): `server()` is
 * this test's, `environment()` points the OpenAI adapter at it.
 */
export function openAiPerTest(): { server: () => ScriptedServer; environment: () => Record<string, string> } {
  let current: ScriptedServer | undefined;
  beforeEach(async () => {
    current = await startOpenAiServer();
  });
  afterEach(async () => {
    await current?.close();
  });
  return { server: () => current!, environment: () => ({ OPENAI_API_KEY: "sk-test-key", OPENAI_BASE_URL: `${current!.url}/v1` }) };
}

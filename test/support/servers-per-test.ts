import { afterEach } from "vitest";
import type { ScriptedServer } from "./scripted-server.js";

/**
 * `started(startServer)` starts a server for the test that calls it; every server so started is
 * closed after each test of the file that called this.
 */
export function serversClosedAfterEach(): (start: () => Promise<ScriptedServer>) => Promise<ScriptedServer> {
  const servers: ScriptedServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (start) => {
    const server = await start();
    servers.push(server);
    return server;
  };
}

import { afterEach } from "vitest";

/**
 * `started(startServer)` starts a server for the test that calls it; every server so started is
 * closed after each test of the file that called this.
 */
export function serversClosedAfterEach(): <Server extends { close(): Promise<void> }>(start: () => Promise<Server>) => Promise<Server> {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (start) => {
    const server = await start();
    servers.push(server);
    return server;
  };
}

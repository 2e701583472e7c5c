import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";

/** Debian's redis-server (`.ci/run` installs it when missing); tests that need it skip without it. */
export const redisServerPath = "/usr/bin/redis-server";
export const hasRedisServer = existsSync(redisServerPath);

export interface RedisServer {
  port: number;
  url: string;
  pid: number;
  /** Stops it by its PID (SIGTERM, then SIGKILL) and waits for it to exit. */
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (the kernel picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A real redis-server on 127.0.0.1 and a free port, without persistence; `requirePass` sets a password. */
export async function startRedisServer(options: { requirePass?: string; port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (options.requirePass !== undefined) args.push("--requirepass", options.requirePass);
  const child: ChildProcess = spawn(redisServerPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
  const pid = child.pid!;
  return {
    port,
    pid,
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      process.kill(pid, "SIGTERM");
      const killer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) process.kill(pid, "SIGKILL");
      }, 5000);
      await exited;
      clearTimeout(killer);
    },
  };
}

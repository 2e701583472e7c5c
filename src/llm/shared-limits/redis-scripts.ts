/**
 * The Lua scripts that keep the shared limits in Redis, each run atomically by Redis. Times are
 * Redis's own (`TIME`), so machines whose clocks differ still share one schedule.
 *
 * Keys of one provider configuration (`<prefix>{<agent>}:<provider id>:…`):
 * - `…:state`  hash: `lastRequestAt` (when the last request was due, ms), `tokensFreeAt` (ms);
 * - `…:queue`  sorted set: the waiting tickets (`<owner>/<n>`), scored by arrival (`n`);
 * - `…:seq`    the ticket counter;
 * - `…:leases` sorted set: the tickets holding a concurrency slot, scored by the lease's end (ms);
 * - `…:owners` sorted set: the processes with waiters or leases, scored by the end of their heartbeat (ms).
 * Every key expires after an idle time (`keyTtl`), so a configuration no one uses leaves nothing behind.
 */

import type { Redis } from "ioredis";

/**
 * The connection with the scripts made callable as its commands (EVALSHA, with EVAL when Redis
 * does not have them yet), each defined once per connection.
 */
export function withScripts<Commands extends Redis>(redis: Redis, scripts: Readonly<Record<string, { numberOfKeys: number; lua: string }>>): Commands {
  const commands = redis as unknown as Record<string, unknown>;
  for (const [name, script] of Object.entries(scripts)) if (typeof commands[name] !== "function") redis.defineCommand(name, script);
  return redis as Commands;
}

const now = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000`;

/**
 * KEYS: state, queue, leases, owners, seq. ARGV: ticket ('' for a new one), owner, tokens,
 * requests/minute, tokens/minute, concurrency (0: none), lease ms, owner ttl ms, key ttl ms,
 * then tickets to drop (cancelled waiters). Returns {1, ticket, 0} when the call may start (its
 * lease taken), else {0, ticket, ms to wait before asking again}.
 */
export const tryScript = `${now}
local ticket = ARGV[1]
local owner = ARGV[2]
local tokens = tonumber(ARGV[3])
local rpm = tonumber(ARGV[4])
local tpm = tonumber(ARGV[5])
local concurrency = tonumber(ARGV[6])
local lease = tonumber(ARGV[7])
local ownerTtl = tonumber(ARGV[8])
local keyTtl = tonumber(ARGV[9])
for i = 10, #ARGV do redis.call('ZREM', KEYS[2], ARGV[i]) end
redis.call('ZADD', KEYS[4], now + ownerTtl, owner)
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
if ticket == '' then
  local n = redis.call('INCR', KEYS[5])
  ticket = owner .. '/' .. n
  redis.call('ZADD', KEYS[2], n, ticket)
elseif not redis.call('ZSCORE', KEYS[2], ticket) then
  -- dropped while this process looked dead (paused): it keeps its place
  redis.call('ZADD', KEYS[2], tonumber(string.match(ticket, '/(%d+)$')), ticket)
end
-- a crashed process's slots come back when their lease ends
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
-- a crashed process's waiters leave the queue
local head = nil
for i = 1, 1000 do
  local first = redis.call('ZRANGE', KEYS[2], 0, 0)
  if #first == 0 then break end
  local headOwner = string.match(first[1], '^(.*)/')
  if redis.call('ZSCORE', KEYS[4], headOwner) then head = first[1] break end
  redis.call('ZREM', KEYS[2], first[1])
end
for k = 1, 5 do redis.call('PEXPIRE', KEYS[k], keyTtl) end
local wait = 0
local requestDue = nil
if rpm > 0 then
  local last = tonumber(redis.call('HGET', KEYS[1], 'lastRequestAt') or '-1e300')
  requestDue = last + 60000 / rpm
  if requestDue - 1 > now then wait = requestDue - now end
end
local tokensFreeAt = tonumber(redis.call('HGET', KEYS[1], 'tokensFreeAt') or '-1e300')
if tpm > 0 and tokensFreeAt - 1 > now then wait = math.max(wait, tokensFreeAt - now) end
local full = concurrency > 0 and redis.call('ZCARD', KEYS[3]) >= concurrency
if head ~= ticket then
  return {0, ticket, math.max(2, math.min(50, math.ceil(wait)))}
end
if full then return {0, ticket, 20} end
if wait > 0 then return {0, ticket, math.max(1, math.ceil(wait))} end
redis.call('ZREM', KEYS[2], ticket)
redis.call('ZADD', KEYS[3], now + lease, ticket)
if rpm > 0 then
  local start = now
  if now - requestDue <= 10 then start = requestDue end
  redis.call('HSET', KEYS[1], 'lastRequestAt', tostring(start))
end
if tpm > 0 then
  local start = now
  if now - tokensFreeAt <= 10 then start = tokensFreeAt end
  redis.call('HSET', KEYS[1], 'tokensFreeAt', tostring(start + tokens * 60000 / tpm))
end
return {1, ticket, 0}`;

/**
 * KEYS: state, leases. ARGV: ticket, tokens used ('' when unknown), tokens estimated,
 * tokens/minute (0: none). Ends the lease; corrects the tokens' schedule by what the call really
 * used. Returns 1 when the lease was still held.
 */
export const releaseScript = `local removed = redis.call('ZREM', KEYS[2], ARGV[1])
local tpm = tonumber(ARGV[4])
if removed == 1 and ARGV[2] ~= '' and tpm > 0 then
  local delta = (tonumber(ARGV[2]) - tonumber(ARGV[3])) * 60000 / tpm
  if delta ~= 0 and redis.call('HEXISTS', KEYS[1], 'tokensFreeAt') == 1 then
    redis.call('HINCRBYFLOAT', KEYS[1], 'tokensFreeAt', tostring(delta))
  end
end
return removed`;

/**
 * KEYS: leases, owners. ARGV: owner, lease ms, owner ttl ms, then the tickets this process holds.
 * The heartbeat: the process is alive, and its leases last another lease.
 */
export const renewScript = `${now}
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
for i = 4, #ARGV do redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[i]) end
return 1`;

/** KEYS: the circuit. ARGV: now. Returns the end of the cooldown when it is open at `now`, else false. */
export const coolingScript = `local untilAt = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
if untilAt > tonumber(ARGV[1]) then return tostring(untilAt) end
return false`;

/**
 * KEYS: the circuit. ARGV: now, retry-after ms ('' when none), failures to open, cooldown ms,
 * maximum ms, key ttl ms. Counts a failure; returns the end of the cooldown it opened, else false.
 */
export const failureScript = `local failures = redis.call('HINCRBY', KEYS[1], 'failures', 1)
local now = tonumber(ARGV[1])
local untilAt = tonumber(redis.call('HGET', KEYS[1], 'openUntil') or '0')
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[6]))
if failures < tonumber(ARGV[3]) or untilAt > now then return false end
local length = tonumber(ARGV[4])
if ARGV[2] ~= '' then length = math.max(length, tonumber(ARGV[2])) end
untilAt = now + math.min(length, tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], 'openUntil', tostring(untilAt))
return tostring(untilAt)`;

/** KEYS: the circuit. ARGV: now, ms, maximum ms, failures to open, key ttl ms. Opens it; returns its end. */
export const openScript = `local untilAt = tonumber(ARGV[1]) + math.min(tonumber(ARGV[2]), tonumber(ARGV[3]))
if redis.call('HEXISTS', KEYS[1], 'failures') == 0 then redis.call('HSET', KEYS[1], 'failures', ARGV[4]) end
redis.call('HSET', KEYS[1], 'openUntil', tostring(untilAt))
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]))
return tostring(untilAt)`;

/**
 * The Lua scripts of the shared run store (see README.md in this folder), each run atomically by
 * Redis. Every write of an attempt is fenced: the script first reads the run's lease
 * (`prose:run:<id>:lease`, JSON `{"holder":{…},"queued":…}`) and writes only when it is held by
 * the token given, so a worker whose lease was taken over cannot write over the one that took it.
 *
 * They are sent with EVAL, never EVALSHA: ioredis answers an EVALSHA that Redis does not know
 * (NOSCRIPT) by sending the script and the command again, after commands sent later may have run,
 * and the store relies on the order of its commands on one connection (usage before journal).
 */

/** The keys of one run. */
export function runKeys(id: string): { record: string; status: string; lease: string; journal: string; usage: string } {
  const base = `prose:run:${id}`;
  return { record: base, status: `${base}:status`, lease: `${base}:lease`, journal: `${base}:journal`, usage: `${base}:usage` };
}

/** Run ids by creation time (ms). */
export const runsKey = "prose:runs";

/** The usage records of a month (`2026-12`), every run's. */
export function monthUsageKey(month: string): string {
  return `prose:usage:${month}`;
}

/** `held(key, token)`: the lease at `key` is a worker's, held with `token`. */
const held = `local function held(key, token)
  local value = redis.call('GET', key)
  if not value then return false end
  local ok, lease = pcall(cjson.decode, value)
  if not ok or type(lease) ~= 'table' or lease.queued == true or type(lease.holder) ~= 'table' then return false end
  return lease.holder.token == token
end
`;

/** `queued(key)`: the lease at `key` is the queue's. */
const queued = `local function queued(key)
  local value = redis.call('GET', key)
  if not value then return false end
  local ok, lease = pcall(cjson.decode, value)
  return ok and type(lease) == 'table' and lease.queued == true
end
`;

/** KEYS: record, status, runs, lease. ARGV: record JSON, status, creation ms, id, queued lease JSON. 1 when created, 0 when the id exists. */
export const createQueuedScript = `if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[3], ARGV[4])
redis.call('SET', KEYS[4], ARGV[5])
return 1`;

/** KEYS: record, lease. Returns {record or false, lease or false, lease PTTL}. */
export const readScript = `return {redis.call('GET', KEYS[1]), redis.call('GET', KEYS[2]), redis.call('PTTL', KEYS[2])}`;

/**
 * KEYS: lease. ARGV: the worker's lease JSON, lease ms. Takes the lease when no one holds it or the
 * queue does: {1, 0}; else {0, its PTTL} (-1: no expiry, a lease this store never writes).
 */
export const acquireScript = `${queued}local value = redis.call('GET', KEYS[1])
if value and not queued(KEYS[1]) then return {0, redis.call('PTTL', KEYS[1])} end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return {1, 0}`;

/** KEYS: lease. ARGV: token, lease ms. Renews the lease when `token` holds it: 1, else 0. */
export const renewScript = `${held}if not held(KEYS[1], ARGV[1]) then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/** KEYS: lease. ARGV: token. Drops the lease when `token` holds it: 1, else 0. */
export const releaseScript = `${held}if not held(KEYS[1], ARGV[1]) then return 0 end
redis.call('DEL', KEYS[1])
return 1`;

/** KEYS: record, status, lease. ARGV: token, record JSON, status. Replaces the record when `token` holds the lease: 1, else 0. */
export const writeScript = `${held}if not held(KEYS[3], ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
return 1`;

/** KEYS: record, status, lease. ARGV: token, record JSON, status. `writeScript`, and the lease dropped. */
export const finishScript = `${held}if not held(KEYS[3], ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('DEL', KEYS[3])
return 1`;

/** KEYS: lease, journal. ARGV: token, record JSON. Appends when `token` holds the lease: 1, else 0. */
export const appendScript = `${held}if not held(KEYS[1], ARGV[1]) then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;

/** KEYS: record, status, lease. ARGV: record JSON, status. Replaces a queued run's record and drops the queue's lease: 1, else 0. */
export const endQueuedScript = `${queued}if not queued(KEYS[3]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('DEL', KEYS[3])
return 1`;

/**
 * KEYS: record, status, lease. ARGV: "waiting" or "interrupted", the record as read, the record
 * queued (status "running"), queued lease JSON. Queues the run again when no lease is held and
 * its status is "waiting" (and its record is still the one read) or "running": 1, else 0.
 */
export const requeueScript = `if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
local status = redis.call('GET', KEYS[2])
if ARGV[1] == 'waiting' then
  if status ~= 'waiting' or redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
  redis.call('SET', KEYS[1], ARGV[3])
  redis.call('SET', KEYS[2], 'running')
elseif status ~= 'running' then
  return 0
end
redis.call('SET', KEYS[3], ARGV[4])
return 1`;

/** KEYS: the month's usage, then the run's (when the record names a run). ARGV: the usage record's JSON. Pushes it to each. */
export const usageScript = `for i = 1, #KEYS do redis.call('RPUSH', KEYS[i], ARGV[1]) end
return 1`;

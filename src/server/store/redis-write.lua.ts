/**
 * The Redis store's write, one atomic script per batch.
 * ARGV[1] = key prefix, ARGV[2] = JSON array of RoomOp (see redis-store.ts):
 *   {id, inst, epoch, snap?, lobby?, tokset: [[token, value]], tokdel: [token]}
 * `inst` "" = unfenced. Otherwise the room is written only when
 * owner:<id> == inst and epoch:<id> == epoch. `snap` absent = remove the room
 * (snapshot, lobby entry, resume entries, owner key; the epoch stays, expiring
 * after a day, so a stale owner can never write it again).
 * Publishes lobby changes on <prefix>lobby. Returns the ids it refused.
 */
export const WRITE_SCRIPT = `
local p = ARGV[1]
local ops = cjson.decode(ARGV[2])
local refused = {}
local ups = {}
local rms = {}
for _, op in ipairs(ops) do
  local ok = true
  if op.inst ~= "" then
    ok = redis.call("GET", p .. "owner:" .. op.id) == op.inst and redis.call("GET", p .. "epoch:" .. op.id) == op.epoch
  end
  if not ok then
    refused[#refused + 1] = op.id
  else
    for _, t in ipairs(op.tokdel) do redis.call("DEL", p .. "resume:" .. t) end
    if op.snap then
      redis.call("SET", p .. "room:" .. op.id, op.snap)
      for _, kv in ipairs(op.tokset) do redis.call("SET", p .. "resume:" .. kv[1], kv[2]) end
      if op.lobby then
        redis.call("HSET", p .. "lobby", op.id, op.lobby)
        ups[#ups + 1] = op.lobby
      end
    else
      redis.call("DEL", p .. "room:" .. op.id, p .. "owner:" .. op.id)
      redis.call("EXPIRE", p .. "epoch:" .. op.id, 86400)
      if redis.call("HDEL", p .. "lobby", op.id) == 1 then rms[#rms + 1] = cjson.encode(op.id) end
    end
  end
end
if #ups > 0 or #rms > 0 then
  redis.call("PUBLISH", p .. "lobby", '{"upsert":[' .. table.concat(ups, ",") .. '],"remove":[' .. table.concat(rms, ",") .. ']}')
end
return refused
`;

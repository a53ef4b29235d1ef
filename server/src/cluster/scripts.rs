//! The Lua scripts that change who is in which room in Redis: each runs atomically, so a name is
//! claimed once across instances, and each change is published in the order it happened.
//! A room's hash holds, by name key, each login's record `seq \t instance \t id \t name`
//! (see `wire`); by a name's second key (`names::NameKeys::as_typed`), `=` and its first;
//! and under the empty field, the room's name as it shows. Only records have tabs.

use redis::Script;
use std::sync::LazyLock;

/// Claims a name's keys in a room for a new login, if no one holds either and if this
/// instance still holds its lease (a reaped instance must not add logins nobody would
/// clean up).
/// KEYS: room hash, owned hash, seq counter, lease. ARGV: name key, instance, user id,
/// name, room field, events channel, place, second name key or '', room's spelling or ''.
/// Returns `{1, values of the room, room's name}`, `{0, record of the holder}`, or `{2}`
/// without lease.
pub static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('EXISTS', KEYS[4]) == 0 then return {2} end
        local function holder(key)
          local held = redis.call('HGET', KEYS[1], key)
          if held and string.sub(held, 1, 1) == '=' then
            held = redis.call('HGET', KEYS[1], string.sub(held, 2))
          end
          return held
        end
        local held = holder(ARGV[1])
        if not held and ARGV[8] ~= '' then held = holder(ARGV[8]) end
        if held then return {0, held} end
        local seq = redis.call('INCR', KEYS[3])
        local record = seq .. '\t' .. ARGV[2] .. '\t' .. ARGV[3] .. '\t' .. ARGV[4]
        redis.call('HSET', KEYS[1], ARGV[1], record)
        if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], ARGV[8], '=' .. ARGV[1]) end
        if ARGV[9] ~= '' then redis.call('HSETNX', KEYS[1], '', ARGV[9]) end
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[7])
        redis.call('PUBLISH', ARGV[6], 'J\t' .. ARGV[5] .. '\t' .. record)
        return {1, redis.call('HVALS', KEYS[1]), redis.call('HGET', KEYS[1], '')}
        ",
    )
});

/// Ends a login: removes its record (and its second key) if it is still this login's,
/// the room's name with its last login, and publishes the leave.
/// KEYS: room hash, owned hash. ARGV: name key, user id, room field, events channel,
/// second name key or ''.
pub static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        redis.call('HDEL', KEYS[2], ARGV[2])
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if not held then return 0 end
        local _, _, id = string.find(held, '^%d+\t[^\t]*\t([^\t]*)\t')
        if id ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        if ARGV[5] ~= '' and redis.call('HGET', KEYS[1], ARGV[5]) == '=' .. ARGV[1] then
          redis.call('HDEL', KEYS[1], ARGV[5])
        end
        if redis.call('HLEN', KEYS[1]) == 1 and redis.call('HEXISTS', KEYS[1], '') == 1 then
          redis.call('DEL', KEYS[1])
        end
        redis.call('PUBLISH', ARGV[4], 'L\t' .. ARGV[3] .. '\t' .. held)
        return 1
        ",
    )
});

/// Puts back a login of this instance after Redis came back (perhaps empty), keeping its
/// place in the order; publishes it as a join if Redis had lost it.
/// KEYS: room hash, owned hash, seq counter. ARGV: name key, record, user id, place,
/// room field, events channel, seq, second name key or '', room's name or ''.
/// Returns 1, or 0 if someone else holds the name now.
pub static RESTORE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if held and held ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
        if ARGV[8] ~= '' then redis.call('HSETNX', KEYS[1], ARGV[8], '=' .. ARGV[1]) end
        if ARGV[9] ~= '' then redis.call('HSETNX', KEYS[1], '', ARGV[9]) end
        if held then return 1 end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        if tonumber(redis.call('GET', KEYS[3]) or '0') < tonumber(ARGV[7]) then
          redis.call('SET', KEYS[3], ARGV[7])
        end
        redis.call('PUBLISH', ARGV[6], 'J\t' .. ARGV[5] .. '\t' .. ARGV[2])
        return 1
        ",
    )
});

/// Removes every login of an instance whose lease expired, publishing each leave, and
/// the instance itself. Does nothing (returns -1) while the lease lives.
/// KEYS: lease, owned hash, instances set. ARGV: instance, events channel, room key
/// prefix, lobby key.
pub static REAP: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
        local gone = 0
        for _, place in ipairs(redis.call('HVALS', KEYS[2])) do
          local room, field, second = string.match(place, '^([^\t]*)\t([^\t]*)\t?([^\t]*)$')
          local key = ARGV[4]
          if room ~= '' then key = ARGV[3] .. room end
          local held = redis.call('HGET', key, field)
          if held then
            local _, _, instance = string.find(held, '^%d+\t([^\t]*)\t')
            if instance == ARGV[1] then
              redis.call('HDEL', key, field)
              if second ~= '' and redis.call('HGET', key, second) == '=' .. field then
                redis.call('HDEL', key, second)
              end
              if redis.call('HLEN', key) == 1 and redis.call('HEXISTS', key, '') == 1 then
                redis.call('DEL', key)
              end
              redis.call('PUBLISH', ARGV[2], 'L\t' .. room .. '\t' .. held)
              gone = gone + 1
            end
          end
        end
        redis.call('DEL', KEYS[2])
        redis.call('SREM', KEYS[3], ARGV[1])
        return gone
        ",
    )
});

//! The Lua scripts that change presence in Redis: each runs atomically, so a name is
//! claimed once across instances, and each change is published in the order it happened.
//! Records are `seq \t instance \t id \t name` (see `wire`).

use redis::Script;
use std::sync::LazyLock;

/// Claims a name key in a room for a new login, if free and if this instance still holds
/// its lease (a reaped instance must not add logins nobody would clean up).
/// KEYS: room hash, owned hash, seq counter, lease. ARGV: name key, instance, user id,
/// name, room field, events channel, place.
/// Returns `{1, records of the room}`, `{0, record of the holder}`, or `{2}` without lease.
pub static CLAIM: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        if redis.call('EXISTS', KEYS[4]) == 0 then return {2} end
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if held then return {0, held} end
        local seq = redis.call('INCR', KEYS[3])
        local record = seq .. '\t' .. ARGV[2] .. '\t' .. ARGV[3] .. '\t' .. ARGV[4]
        redis.call('HSET', KEYS[1], ARGV[1], record)
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[7])
        redis.call('PUBLISH', ARGV[6], 'J\t' .. ARGV[5] .. '\t' .. record)
        return {1, redis.call('HVALS', KEYS[1])}
        ",
    )
});

/// Ends a login: removes its record if it is still this login's, and publishes the leave.
/// KEYS: room hash, owned hash. ARGV: name key, user id, room field, events channel.
pub static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        redis.call('HDEL', KEYS[2], ARGV[2])
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if not held then return 0 end
        local _, _, id = string.find(held, '^%d+\t[^\t]*\t([^\t]*)\t')
        if id ~= ARGV[2] then return 0 end
        redis.call('HDEL', KEYS[1], ARGV[1])
        redis.call('PUBLISH', ARGV[4], 'L\t' .. ARGV[3] .. '\t' .. held)
        return 1
        ",
    )
});

/// Puts back a login of this instance after Redis came back (perhaps empty), keeping its
/// place in the order; publishes it as a join if Redis had lost it.
/// KEYS: room hash, owned hash, seq counter. ARGV: name key, record, user id, place,
/// room field, events channel, seq.
/// Returns 1, or 0 if someone else holds the name now.
pub static RESTORE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r"
        local held = redis.call('HGET', KEYS[1], ARGV[1])
        if held and held ~= ARGV[2] then return 0 end
        redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
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
          local tab = string.find(place, '\t', 1, true)
          local room = string.sub(place, 1, tab - 1)
          local field = string.sub(place, tab + 1)
          local key = ARGV[4]
          if room ~= '' then key = ARGV[3] .. room end
          local held = redis.call('HGET', key, field)
          if held then
            local _, _, instance = string.find(held, '^%d+\t([^\t]*)\t')
            if instance == ARGV[1] then
              redis.call('HDEL', key, field)
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

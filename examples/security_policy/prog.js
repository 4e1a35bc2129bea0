// SECURITY policy: decides allow (0) or deny (1) for each access.
//
// Rules:
//   - subject 0 (root) may do anything;
//   - nobody else may exec, unlink or kill (actions 4, 9, 11) on an object
//     in the protected set;
//   - opening a path that starts with "/etc/shadow" is denied for everyone
//     but root (the path is the payload);
//   - every denial is counted per action.
//
// Maps (prog.json):
//   protected  hash, key = object id (u32 LE), value = 1 byte (nonzero: protected)
//   denials    array of 16 u64 LE counters, index = action
//
// The runtime's safe default for SECURITY should be DENY in production
// (safe_default[MBPF_HOOK_SECURITY] = MBPF_SEC_DENY): a failing policy
// then fails closed.

var ALLOW = 0;
var DENY = 1;
var ACTION_OPEN = 1;
var ACTION_EXEC = 4;
var ACTION_UNLINK = 9;
var ACTION_KILL = 11;

// "/etc/shadow"
var SHADOW = [0x2f, 0x65, 0x74, 0x63, 0x2f, 0x73, 0x68, 0x61, 0x64, 0x6f, 0x77];

var objKey = new Uint8Array(4);
var flag = new Uint8Array(1);
var path = new Uint8Array(SHADOW.length);
var count = new Uint8Array(8);
var u64 = [0, 0];

function deny(action) {
    var i = action < 16 ? action : 0;
    if (maps.denials.lookup(i, count)) {
        mbpf.u64LoadLE(count, 0, u64);
    } else {
        u64[0] = 0;
        u64[1] = 0;
    }
    u64[0] = (u64[0] + 1) >>> 0;
    if (u64[0] === 0) u64[1] = (u64[1] + 1) >>> 0;
    mbpf.u64StoreLE(count, 0, u64);
    maps.denials.update(i, count);
    return DENY;
}

function isProtected(object) {
    objKey[0] = object & 0xff;
    objKey[1] = (object >>> 8) & 0xff;
    objKey[2] = (object >>> 16) & 0xff;
    objKey[3] = (object >>> 24) & 0xff;
    return maps.protected.lookup(objKey, flag) && flag[0] !== 0;
}

function opensShadow(ctx) {
    if (ctx.data_len < SHADOW.length) return false;
    ctx.readBytes(0, SHADOW.length, path);
    for (var i = 0; i < SHADOW.length; i++)
        if (path[i] !== SHADOW[i]) return false;
    return true;
}

function mbpf_init() {
    // object 42 (say, the init task) is protected from the start
    objKey[0] = 42;
    flag[0] = 1;
    maps.protected.update(objKey, flag);
}

function mbpf_prog(ctx) {
    if (ctx.subject_id === 0) return ALLOW;
    var action = ctx.action;
    if ((action === ACTION_EXEC || action === ACTION_UNLINK || action === ACTION_KILL) &&
        isProtected(ctx.object_id))
        return deny(action);
    if (action === ACTION_OPEN && opensShadow(ctx)) return deny(action);
    return ALLOW;
}

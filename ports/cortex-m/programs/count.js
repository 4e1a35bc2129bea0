// Counts packets by first byte in a hash map (key: 1 byte, value: u32
// little-endian) and returns the new count. A checksum of the packet
// (FNV-1a, 32-bit) goes to the second slot of `sums`, so the target's
// 32-bit integer arithmetic can be compared with C.
var key = new Uint8Array(1);
var val = new Uint8Array(4);

function fnv1a(ctx) {
    var h = 0x811c9dc5;
    for (var i = 0; i < ctx.data_len; i++) h = Math.imul(h ^ ctx.readU8(i), 0x01000193);
    return h >>> 0;
}

function mbpf_prog(ctx) {
    key[0] = ctx.readU8(0);
    var n = 0;
    if (maps.seen.lookup(key, val))
        n = val[0] | (val[1] << 8) | (val[2] << 16) | (val[3] << 24);
    n = (n + 1) >>> 0;
    val[0] = n & 0xFF;
    val[1] = (n >>> 8) & 0xFF;
    val[2] = (n >>> 16) & 0xFF;
    val[3] = n >>> 24;
    maps.seen.update(key, val);
    var h = fnv1a(ctx);
    val[0] = h & 0xFF;
    val[1] = (h >>> 8) & 0xFF;
    val[2] = (h >>> 16) & 0xFF;
    val[3] = h >>> 24;
    maps.sums.update(1, val);
    return n;
}

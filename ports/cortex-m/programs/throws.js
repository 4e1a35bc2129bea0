// Fails on every event: an explicit throw for a first byte of 1, a read
// past the end of the packet otherwise.
function mbpf_prog(ctx) {
    if (ctx.readU8(0) === 1) throw new TypeError("bad packet type " + ctx.readU8(0));
    return ctx.readU8(ctx.data_len);
}

// The smallest useful filter: drop packets whose first byte is 0xFF.
function mbpf_prog(ctx) { return ctx.readU8(0) === 0xFF ? 1 : 0; }

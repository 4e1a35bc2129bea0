// Uint8Array(4096) filled once, then checksummed (a rotating xor/add mix
// of every byte) ROUNDS times: typed-array element reads and int32 math.
var ROUNDS = 4000;

function fill(buf) {
    var i, x = 12345;
    for (i = 0; i < buf.length; i++) {
        x = (x * 1103515245 + 12345) & 0x7fffffff;
        buf[i] = x >> 16;
    }
}

function checksum(buf, seed) {
    var h = seed, i, n = buf.length;
    for (i = 0; i < n; i++)
        h = ((h << 5) ^ (h >>> 27) ^ buf[i]) + i | 0;
    return h;
}

var buf = new Uint8Array(4096);
fill(buf);
var h = 0, r;
for (r = 0; r < ROUNDS; r++)
    h = checksum(buf, h);
print(buf.length, h >>> 0);

// `x + k`, `x & k`, `x | k`, `x << k`, `x >> k` and `x >>> k` with an int16
// constant k are one instruction (add_i16 ... shr_i16), also in compound
// assignments. Each must give what the general instruction gives (here:
// the same operator with k in a variable) for every kind of operand.

var log = [];
function take() {
    var s = log.join(",");
    log = [];
    return s;
}

function fused(x) {
    return [x + 1, x + -1, x + 0, x + 32767, x + -32768, x + 32768,
            x & 255, x & -1, x & 0, x | 0, x | 32767, x | -32768,
            x << 0, x << 1, x << 31, x << 32, x << 33,
            x >> 0, x >> 1, x >> 31, x >> 32,
            x >>> 0, x >>> 1, x >>> 31, x >>> 32];
}
function general(x) {
    var k = [1, -1, 0, 32767, -32768, 32768, 255, -1, 0, 0, 32767, -32768,
             0, 1, 31, 32, 33, 0, 1, 31, 32, 0, 1, 31, 32];
    return [x + k[0], x + k[1], x + k[2], x + k[3], x + k[4], x + k[5],
            x & k[6], x & k[7], x & k[8], x | k[9], x | k[10], x | k[11],
            x << k[12], x << k[13], x << k[14], x << k[15], x << k[16],
            x >> k[17], x >> k[18], x >> k[19], x >> k[20],
            x >>> k[21], x >>> k[22], x >>> k[23], x >>> k[24]];
}

var xs = [0, -0, 1, -1, 7, 255, 256, -32768, 32767, 1073741823, 1073741824, -1073741824,
          -1073741825, 2147483647, 2147483648, -2147483648, -2147483649, 4294967295,
          4294967296, 9007199254740991, -9007199254740991, 0.5, -1.5, 1e21, NaN, Infinity,
          -Infinity, "", "5", "-3", "abc", "0x10", true, false, null, undefined, {}, [],
          [7], "1e3"];
for (var i = 0; i < xs.length; i++) {
    var f = fused(xs[i]), g = general(xs[i]);
    for (var j = 0; j < f.length; j++) assertEq(f[j], g[j]);
    print(i, f.join(" "));
}

// the operand is converted once, before the constant, and errors propagate
var o = {valueOf: function () { log.push("v"); return 6; }};
assertEq(o + 1, 7);
assertEq(o | 0, 6);
assertEq(o >>> 1, 3);
assertEq(take(), "v,v,v");
var s = {toString: function () { log.push("s"); return "x"; }, valueOf: null};
assertEq(s + 1, "x1");
assertEq(s | 0, 0);
assertEq(take(), "s,s");
var bad = {valueOf: function () { throw new RangeError("no"); }};
assertThrows(RangeError, function () { return bad + 1; });
assertThrows(RangeError, function () { return bad << 2; });

// compound assignments with a constant, on locals, globals, fields, elements
var g1 = 5;
g1 += 3;
g1 <<= 2;
g1 |= 1;
g1 >>= 1;
g1 &= 7;
assertEq(g1, 0);
function local(a) {
    var x = a;
    x += 10;
    x >>>= 0;
    x &= 0xff;
    return x;
}
assertEq(local(-11), 255);
assertEq(local(5), 15);
var obj = {f: -1, n: "7"};
obj.f >>>= 28;
obj.n += 1;
assertEq(obj.f, 15);
assertEq(obj.n, "71");
var arr = [1, 2.5, "3"], u = new Uint8Array(2);
arr[0] <<= 3;
arr[1] |= 0;
arr[2] += 1;
u[0] += 300;
u[1] -= 1;
assertEq(arr.join(","), "8,2,31");
assertEq(u[0], 44);
assertEq(u[1], 255);
// a typical checksum: rotations and masks on small ints that overflow
var h = 0, bytes = [1, 2, 3, 250, 251, 252, 253, 254, 255];
for (var r = 0; r < 200; r++)
    for (i = 0; i < bytes.length; i++) h = ((h << 5) ^ (h >>> 27) ^ bytes[i]) + i | 0;
print("checksum", h, h >>> 0, (h >> 16) & 0xffff);
var hk = 0, five = 5, tsev = 27, zero = 0;
for (r = 0; r < 200; r++)
    for (i = 0; i < bytes.length; i++)
        hk = ((hk << five) ^ (hk >>> tsev) ^ bytes[i]) + i | zero;
assertEq(h, hk);
print("ok fused_arith");

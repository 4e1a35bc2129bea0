// Uint8Array: construction with a length (zero-filled), length, indexed
// reads and writes with ToUint8 wrap-around of the stored value,
// out-of-range reads giving undefined and out-of-range writes ignored.

var u = new Uint8Array(8);
assertEq(u.length, 8);
var i, zero = true;
for (i = 0; i < u.length; i++)
    if (u[i] !== 0) zero = false;
assert(zero, "zero-filled");
assert(u instanceof Uint8Array);
assertEq(new Uint8Array(0).length, 0);

// ToUint8: modulo 256, truncation toward zero, NaN and Infinity give 0.
var inputs = [1, 255, 256, 257, -1, -256, 1.9, -1.9, 511.5, NaN, Infinity, -Infinity, "7", true, null, 1e10 + 3];
var expect = [1, 255, 0, 1, 255, 0, 1, 255, 255, 0, 0, 0, 7, 1, 0, 3];
var got = [];
for (i = 0; i < inputs.length; i++) {
    u[0] = inputs[i];
    got.push(u[0]);
}
assertEq(got, expect);
assertEq(got.join(), expect.join());

// The assignment expression yields the assigned value, not the stored one.
assertEq((u[1] = 300), 300);
assertEq(u[1], 44);
u[2] = 200;
u[2] += 100;
assertEq(u[2], 44, "compound assignment wraps");
u[3] = 0;
u[3]--;
assertEq(u[3], 255);
u[3]++;
assertEq(u[3], 0);

// Out of range.
assertEq(u[8], undefined);
assertEq(u[100], undefined);
assertEq(u[-1], undefined);
u[8] = 5;
u[1000] = 5;
assertEq(u.length, 8, "writes past the end are ignored");
assertEq(u[8], undefined);
assertEq(u["2"], 44, "string index");

// Independent buffers.
var a = new Uint8Array(4), b = new Uint8Array(4);
a[0] = 9;
assertEq(b[0], 0);

// A checksum over a larger array.
var big = new Uint8Array(1024);
for (i = 0; i < big.length; i++)
    big[i] = i * 7;
var sum = 0;
for (i = 0; i < big.length; i++)
    sum = (sum + big[i]) | 0;
assertEq(sum, 130560);
var x = 0;
for (var v of big)
    x ^= v;
assertEq(x, 0);

print(u.length, got.join(" "), u[1], u[2], u[3], sum);
print("ok uint8array");

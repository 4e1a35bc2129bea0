// for..of over arrays and Uint8Array: values in order, break, continue,
// labels, nesting, an existing variable or member as the target, and the
// length re-read on each step.

var r = [], v;
for (v of [10, 20, 30])
    r.push(v);
assertEq(r, [10, 20, 30]);
r = [];
for (var w of ["a", null, undefined, 0])
    r.push(w);
assertEq(r, ["a", null, undefined, 0]);
assertEq(w, 0, "var target keeps the last value");
var n = 0;
for (v of []) n++;
assertEq(n, 0);

// Uint8Array.
var u = new Uint8Array(4);
u[0] = 1; u[1] = 2; u[2] = 255; u[3] = 256;
var sum = 0;
for (v of u)
    sum += v;
assertEq(sum, 258);

// break, continue, labels and nesting.
r = [];
for (v of [1, 2, 3, 4, 5, 6]) {
    if (v % 2) continue;
    if (v > 4) break;
    r.push(v);
}
assertEq(r, [2, 4]);
r = [];
outer: for (var a of [1, 2, 3])
    for (var b of [1, 2, 3]) {
        if (b > a) continue outer;
        if (a === 3) break outer;
        r.push("" + a + b);
    }
assertEq(r, ["11", "21", "22"]);

// Member expression target.
var holder = {};
for (holder.x of [7, 8]) {}
assertEq(holder.x, 8);

// The array is read live: elements pushed during the loop are visited,
// popped ones are not.
var grow = [1, 2];
r = [];
for (v of grow) {
    r.push(v);
    if (v < 4) grow.push(v + 2);
}
assertEq(r, [1, 2, 3, 4, 5]);
var shrink = [1, 2, 3, 4];
r = [];
for (v of shrink) {
    r.push(v);
    shrink.pop();
}
assertEq(r, [1, 2]);

// Closures in the body see the shared var.
var fs = [];
for (v of [1, 2])
    fs.push(function () { return v; });
assertEq(fs[0](), 2);

// Nested arrays.
var total = 0, row, cell;
for (row of [[1, 2], [3], []])
    for (cell of row)
        total += cell;
assertEq(total, 6);

// Iterating a non-iterable throws TypeError.
assertThrows(TypeError, function () { for (var x of 5) {} });
assertThrows(TypeError, function () { for (var x of {}) {} });

print(sum, r.join(","), holder.x, total);
print("ok for_of");

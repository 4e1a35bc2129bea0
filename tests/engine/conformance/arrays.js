// Arrays: literals (with a trailing comma, which is not a hole), length,
// growth by writing at length, truncation through length, push, pop,
// indexOf, join, slice, nesting, and holes-free behaviour shared with ES5.

var a = [1, "two", null, undefined, [5]];
assertEq(a.length, 5);
assertEq(a[1], "two");
assertEq(a[4][0], 5);
assertEq(a[5], undefined, "read past the end");
assertEq([].length, 0);
assertEq([1, 2, ].length, 2, "trailing comma");
assertEq([[]].length, 1);

// Writing at index length appends.
var b = [];
b[0] = "x";
b[b.length] = "y";
assertEq(b.length, 2);
assertEq(b, ["x", "y"]);
b[1] = "Y";
assertEq(b[1], "Y");

// push and pop.
var s = [];
assertEq(s.push(1), 1);
assertEq(s.push(2, 3), 3);
assertEq(s, [1, 2, 3]);
assertEq(s.pop(), 3);
assertEq(s.length, 2);
assertEq([].pop(), undefined);
var big = [];
var i;
for (i = 0; i < 1000; i++)
    big.push(i * 2);
assertEq(big.length, 1000);
assertEq(big[999], 1998);
var total = 0;
while (big.length)
    total += big.pop();
assertEq(total, 999000);

// Truncation through length.
var t = [1, 2, 3, 4, 5];
t.length = 2;
assertEq(t, [1, 2]);
assertEq(t[3], undefined);
t.push(9);
assertEq(t, [1, 2, 9]);
t.length = 0;
assertEq(t.length, 0);

// indexOf uses ===; optional start index.
var f = ["a", 1, "1", NaN, 1, -0];
assertEq(f.indexOf(1), 1);
assertEq(f.indexOf("1"), 2);
assertEq(f.indexOf(1, 2), 4);
assertEq(f.indexOf(NaN), -1);
assertEq(f.indexOf(0), 5);
assertEq(f.indexOf("b"), -1);
assertEq(f.indexOf(1, -2), 4, "negative start counts from the end");

// join.
assertEq([1, 2, 3].join(), "1,2,3");
assertEq([1, 2, 3].join(""), "123");
assertEq([1, 2, 3].join(" - "), "1 - 2 - 3");
assertEq([null, undefined, 1].join("-"), "--1");
assertEq([[1, 2], [3]].join(";"), "1,2;3");
assertEq([].join(), "");
assertEq([1.5, -0, true].join(), "1.5,0,true");

// slice copies; negative indexes count from the end.
var sl = [0, 1, 2, 3, 4];
assertEq(sl.slice(), [0, 1, 2, 3, 4]);
assertEq(sl.slice(2), [2, 3, 4]);
assertEq(sl.slice(1, 3), [1, 2]);
assertEq(sl.slice(-2), [3, 4]);
assertEq(sl.slice(1, -1), [1, 2, 3]);
assertEq(sl.slice(3, 1), []);
assertEq(sl.slice(10), []);
var copy = sl.slice();
copy[0] = "changed";
assertEq(sl[0], 0, "slice returns a copy");

// Arrays are objects and references.
var r1 = [1], r2 = r1;
r2.push(2);
assertEq(r1.length, 2);
assert([] !== []);

// Iteration by index and in-place update.
var sq = [1, 2, 3, 4];
for (i = 0; i < sq.length; i++)
    sq[i] *= sq[i];
assertEq(sq, [1, 4, 9, 16]);

// 2-D array.
var grid = [];
for (i = 0; i < 3; i++)
    grid.push([i, i * 10]);
assertEq(grid[2][1], 20);

print(a.length, [1, 2, 3].join("+"), sl.slice(1, -1).join(), f.indexOf("1"), sq.join(" "), total);
print("ok arrays");

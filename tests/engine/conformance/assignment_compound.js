// Simple, chained and compound assignment (+= -= *= /= %= **= <<= >>=
// >>>= &= |= ^=) on variables, properties and array elements: the value of
// the expression, single evaluation of the target, and left-to-right order.

var a = 10;
assertEq(a += 5, 15); assertEq(a, 15);
assertEq(a -= 20, -5); assertEq(a, -5);
assertEq(a *= -4, 20);
assertEq(a /= 8, 2.5);
assertEq(a %= 1, 0.5);
a = 3;
assertEq(a **= 4, 81);
assertEq(a <<= 2, 324);
assertEq(a >>= 3, 40);
a = -8;
assertEq(a >>>= 28, 15);
assertEq(a &= 6, 6);
assertEq(a |= 9, 15);
assertEq(a ^= 5, 10);
var s = "x";
s += 1;
s += null;
assertEq(s, "x1null");
var n = 1;
n += "2";
assertEq(n, "12");

// Chained assignment is right-associative and yields the assigned value.
var b, c, d;
b = c = d = 7;
assertEq(b + c + d, 21);
var o = {};
o.x = o.y = "v";
assertEq(o.x + o.y, "vv");

// Compound assignment on properties and elements evaluates the target once.
var count = 0;
function key() { count++; return "k"; }
var obj = { k: 1 };
obj[key()] += 10;
assertEq(obj.k, 11);
assertEq(count, 1);
obj[key()] **= 2;
assertEq(obj.k, 121);
assertEq(count, 2);
var arr = [1, 2, 3];
var idx = 0;
arr[idx++] += 100;
assertEq(arr, [101, 2, 3]);
assertEq(idx, 1);
arr[2] >>>= 1;
arr[1] |= 8;
assertEq(arr, [101, 10, 1]);

// The target's reference is evaluated before the right-hand side.
var order = [];
var holder = { get p() { order.push("get"); return 1; },
               set p(v) { order.push("set" + v); } };
function rhs() { order.push("rhs"); return 2; }
function target() { order.push("target"); return holder; }
target().p += rhs();
assertEq(order.join(","), "target,get,rhs,set3");

// Old value read before the right-hand side changes it.
var v = 1;
v += (v = 10);
assertEq(v, 11);

print(b, o.x, obj.k, arr.join("|"), order.join(","), v);
print("ok assignment_compound");

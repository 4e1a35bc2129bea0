// ujs-only: stricter mode rejects what ES5 strict allows (node does not agree)
// MQuickJS "stricter mode" rules beyond ES5 strict (DESIGN.md §2), checked
// where they are runtime errors: no value boxing, arrays without holes
// (writing past the end other than at length is a TypeError), and for..in
// enumerating own properties only. The compile-time rules (array literal
// holes, with) are in errors/.

// No boxing: the primitive wrappers cannot be constructed.
assertThrows(TypeError, function () { return new Number(1); });
assertThrows(TypeError, function () { return new String(""); });
assertThrows(TypeError, function () { return new Boolean(true); });

// Arrays never get holes.
var a = [1, 2];
a[2] = 3;
assertEq(a, [1, 2, 3], "writing at length appends");
assertThrows(TypeError, function () { a[4] = 5; }, "one past length");
assertThrows(TypeError, function () { a[1000] = 5; });
assertThrows(TypeError, function () { var e = []; e[1] = 0; });
assertEq(a.length, 3, "failed writes leave the array as it was");
assertEq(a, [1, 2, 3]);
a[0] = "in range";
assertEq(a[0], "in range");

// for..in enumerates own properties only.
var proto = { inherited: 1 };
var child = Object.create(proto);
child.own = 2;
var keys = [], k;
for (k in child)
    keys.push(k);
assertEq(keys, ["own"]);

print(a.join(), keys.join());
print("ok stricter_mode");

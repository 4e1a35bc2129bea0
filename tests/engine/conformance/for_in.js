// for..in over own enumerable properties: integer keys first in ascending
// order, then string keys in insertion order; deleted and non-enumerable
// keys are skipped; keys are strings; arrays give their indexes.

function keys(o) {
    var r = [], k;
    for (k in o)
        r.push(k);
    return r;
}
assertEq(keys({ b: 1, a: 2, c: 3 }), ["b", "a", "c"]);
assertEq(keys({ x: 1, 2: 1, y: 1, 0: 1, 10: 1, 1: 1 }), ["0", "1", "2", "10", "x", "y"]);
assertEq(keys({ "-1": 1, "01": 1, 1.5: 1, 3: 1 }), ["3", "-1", "01", "1.5"], "only canonical array indexes sort");
assertEq(keys({}), []);
assertEq(keys([7, 8, 9]), ["0", "1", "2"]);

// Keys are strings.
var k, types = [];
for (k in { 1: 0 })
    types.push(typeof k);
assertEq(types, ["string"]);

// Insertion order survives deletion and re-adding.
var o = { a: 1, b: 2, c: 3 };
delete o.a;
o.d = 4;
o.a = 5;
assertEq(keys(o), ["b", "c", "d", "a"]);

// Non-enumerable properties are skipped.
var h = { shown: 1 };
Object.defineProperty(h, "hidden", { value: 2, enumerable: false });
assertEq(keys(h), ["shown"]);

// Values through the key; a declared or undeclared-in-loop var target.
var sum = 0;
var scores = { alice: 3, bob: 4 };
for (var name in scores)
    sum += scores[name];
assertEq(sum, 7);
assertEq(name, "bob", "loop var keeps its last value");
var obj = { p: 1 };
var target = {};
for (target.key in obj) {}
assertEq(target.key, "p", "member expression as the loop target");

// break, continue and labels in for..in.
var seen = [];
for (k in { a: 1, b: 2, c: 3, d: 4 }) {
    if (k === "b") continue;
    if (k === "d") break;
    seen.push(k);
}
assertEq(seen, ["a", "c"]);
var pairs = [];
outer: for (var i in { x: 1, y: 1 })
    for (var j in { p: 1, q: 1 }) {
        if (j === "q") continue outer;
        pairs.push(i + j);
    }
assertEq(pairs, ["xp", "yp"]);

// null and undefined are iterated zero times.
var count = 0;
for (k in null) count++;
for (k in undefined) count++;
assertEq(count, 0);

// Deleting a not-yet-visited key skips it.
var del = { a: 1, b: 2, c: 3 };
seen = [];
for (k in del) {
    seen.push(k);
    if (k === "a") delete del.b;
}
assertEq(seen, ["a", "c"]);

print(keys({ x: 1, 2: 1, y: 1, 0: 1 }).join(" "), keys(o).join(""), sum, seen.join(""));
print("ok for_in");

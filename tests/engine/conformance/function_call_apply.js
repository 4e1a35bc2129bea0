// Function.prototype.call and apply: explicit this (including
// primitives, null and undefined, unboxed in strict mode), argument
// passing from arrays and arguments objects, and calls on built-ins.

function show(a, b) {
    return (this === undefined ? "u" : this === null ? "n" : typeof this === "object" ? this.tag : this) +
        ":" + a + ":" + b;
}
var obj = { tag: "obj" };
assertEq(show.call(obj, 1, 2), "obj:1:2");
assertEq(show.call(obj), "obj:undefined:undefined");
assertEq(show.call(), "u:undefined:undefined");
assertEq(show.call(null, "x"), "n:x:undefined");
assertEq(show.call(7, 1, 2), "7:1:2");
assertEq(show.apply(obj, [3, 4]), "obj:3:4");
assertEq(show.apply(obj, []), "obj:undefined:undefined");
assertEq(show.apply(obj), "obj:undefined:undefined");
assertEq(show.apply(obj, null), "obj:undefined:undefined");
assertEq(show.apply(undefined, [5, 6, 7]), "u:5:6");
assertEq(show.apply("s", ["a"]), "s:a:undefined");

// apply with an arguments object, and with an array-like object.
function wrapper() { return show.apply(obj, arguments); }
assertEq(wrapper(8, 9), "obj:8:9");
assertEq(show.apply(obj, { length: 2, 0: "p", 1: "q" }), "obj:p:q");
assertThrows(TypeError, function () { show.apply(obj, 5); }, "non-object argument list");

// Methods borrowed with call.
var arrayLike = { length: 0 };
var list = [1, 2, 3];
assertEq(Array.prototype.join.call(list, "+"), "1+2+3");
assertEq(Array.prototype.indexOf.call(list, 3), 2);
assertEq(String.prototype.indexOf.call("abcabc", "c", 3), 5);
assertEq(Math.max.apply(null, [4, 9, 2]), 9);
assertEq(Math.min.apply(Math, list), 1);
assertEq(String.fromCharCode.apply(null, [111, 107]), "ok");

// call and apply on call itself, and on a method.
assertEq(show.call.call(show, obj, "a", "b"), "obj:a:b");
var counter = { n: 0, add: function (k) { this.n += k; return this.n; } };
var other = { n: 100 };
assertEq(counter.add.call(other, 5), 105);
assertEq(counter.n, 0);

// Calling something that is not a function.
assertThrows(TypeError, function () { Function.prototype.call.call(5); });
assertEq(typeof show.call, "function");
assertEq(typeof show.apply, "function");

// Constructors invoked through call initialise the given object.
function Init(v) { this.v = v; }
var target = {};
Init.call(target, "set");
assertEq(target.v, "set");

// A large argument list through apply.
var many = [];
var i;
for (i = 0; i < 200; i++)
    many.push(i);
function count() { return arguments.length + ":" + arguments[199]; }
assertEq(count.apply(null, many), "200:199");

print(show.call(obj, 1, 2), show.apply(7, [3]), wrapper("x"), Math.max.apply(null, [4, 9, 2]));
print("ok function_call_apply");

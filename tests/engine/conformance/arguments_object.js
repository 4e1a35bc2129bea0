// The arguments object: length and indexing with fewer and more arguments
// than parameters, no aliasing with parameters in strict mode, its own
// binding in each function, and passing it on with apply.

function info() {
    var r = [arguments.length], i;
    for (i = 0; i < arguments.length; i++)
        r.push(arguments[i]);
    return r;
}
assertEq(info(), [0]);
assertEq(info("a"), [1, "a"]);
assertEq(info(1, 2, 3, 4, 5), [5, 1, 2, 3, 4, 5]);
assertEq(info(undefined), [1, undefined]);

function fewer(a, b, c) { return arguments.length + ":" + c; }
assertEq(fewer(1), "1:undefined");

function extra(a) { return arguments[1] + arguments[2]; }
assertEq(extra(0, 20, 22), 42);
function outOfRange() { return arguments[5]; }
assertEq(outOfRange(1), undefined);

// Strict mode: parameters and arguments are not aliased.
function noAlias(a) {
    a = 2;
    var seen = arguments[0];
    arguments[0] = 3;
    return [a, seen, arguments[0]];
}
assertEq(noAlias(1), [2, 1, 3]);

// Each function has its own arguments.
function outer() {
    var inner = function () { return arguments.length; };
    return arguments.length + "/" + inner(1, 2, 3);
}
assertEq(outer("x"), "1/3");

// arguments is an object, not an array, but is array-like.
function kind() { return typeof arguments; }
assertEq(kind(), "object");
function notArray() { return arguments instanceof Array; }
assertEq(notArray(1), false);

// Variadic functions.
function sum() {
    var s = 0, i;
    for (i = 0; i < arguments.length; i++)
        s += arguments[i];
    return s;
}
assertEq(sum(), 0);
assertEq(sum(1, 2, 3, 4), 10);
function forward() { return sum.apply(null, arguments); }
assertEq(forward(5, 6, 7), 18);

// Many arguments.
assertEq(sum(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 210);

print(info(1, "b", null).join(" "), noAlias(1).join(" "), outer(), forward(1, 2));
print("ok arguments_object");

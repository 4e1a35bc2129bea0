// var and function declarations: hoisting to the top of the function or
// script, function declarations initialised before any code runs,
// function expressions (anonymous and named, the name bound only inside
// and read-only), parameters, return values and the length property.

// Hoisting at top level: both are visible before their declaration.
assertEq(hoistedVar, undefined);
assertEq(hoistedFn(), "fn");
var hoistedVar = 1;
function hoistedFn() { return "fn"; }
assertEq(hoistedVar, 1);

// Hoisting inside a function, including from nested blocks and loops.
function inner() {
    var r = [typeof a, typeof b, typeof g, typeof i];
    if (false) {
        var a = 1;
    }
    for (var i = 0; i < 2; i++) {
        var b = i;
    }
    function g() {}
    r.push(typeof a, b, i);
    return r.join(",");
}
assertEq(inner(), "undefined,undefined,function,undefined,undefined,1,2");

// A local var shadows a global of the same name from the function start.
var shadow = "global";
function shadowing() {
    var before = shadow;
    var shadow = "local";
    return before + "/" + shadow;
}
assertEq(shadowing(), "undefined/local");
assertEq(shadow, "global");

// Redeclaring keeps the value; a later function declaration wins.
var redecl = 5;
var redecl;
assertEq(redecl, 5);
function twice() { return 1; }
function twice() { return 2; }
assertEq(twice(), 2);

// Function expressions.
var anon = function (x) { return x * 2; };
assertEq(anon(21), 42);
var fact = function self(n) { return n <= 1 ? 1 : n * self(n - 1); };
assertEq(fact(10), 3628800);
assertEq(typeof self, "undefined", "name only bound inside");
var renamer = function me() {
    assertThrows(TypeError, function () { me = 1; }, "name is read-only");
    return typeof me;
};
assertEq(renamer(), "function");
assertEq((function (a, b) { return a + b; })(1, 2), 3);

// Parameters: missing are undefined, extra are ignored; length counts them.
function params(a, b, c) { return [a, b, c]; }
assertEq(params(1), [1, undefined, undefined]);
assertEq(params(1, 2, 3, 4), [1, 2, 3]);
assertEq(params.length, 3);
assertEq((function () {}).length, 0);
function noReturn() {}
assertEq(noReturn(), undefined);
function emptyReturn() { return; }
assertEq(emptyReturn(), undefined);

// Functions are values: stored, passed and returned.
function compose(f, g) { return function (x) { return f(g(x)); }; }
var inc = function (x) { return x + 1; };
assertEq(compose(inc, anon)(5), 11);
var table = { add: function (x, y) { return x + y; } };
assertEq(table.add(2, 3), 5);

print(inner(), shadowing(), twice(), fact(10), params.length);
print("ok var_hoisting_functions");

// Closures: independent counters, captured variables shared between
// closures, loops capturing (one var per function, so the IIFE idiom),
// captured parameters and three levels of nesting.

function makeCounter(start) {
    var n = start;
    return {
        inc: function () { return ++n; },
        get: function () { return n; }
    };
}
var c1 = makeCounter(0), c2 = makeCounter(100);
c1.inc(); c1.inc();
c2.inc();
assertEq(c1.get(), 2);
assertEq(c2.get(), 101, "counters are independent");

// Two closures over the same variable see each other's writes.
function pair() {
    var shared = 0;
    return [function () { shared += 1; }, function () { return shared; }];
}
var p = pair();
p[0](); p[0]();
assertEq(p[1](), 2);

// var in a loop is one binding: every closure sees the final value.
var fs = [], i;
for (i = 0; i < 3; i++)
    fs.push(function () { return i; });
assertEq([fs[0](), fs[1](), fs[2]()], [3, 3, 3]);

// An IIFE per iteration captures each value.
var gs = [];
for (i = 0; i < 3; i++)
    gs.push((function (j) { return function () { return j; }; })(i));
assertEq([gs[0](), gs[1](), gs[2]()], [0, 1, 2]);

// Three levels of nesting, each level reading and writing outer variables.
function level1(a) {
    var x = "1";
    return function level2(b) {
        var y = "2";
        return function level3(c) {
            x += "!";
            return a + b + c + x + y;
        };
    };
}
var l3 = level1("a")("b");
assertEq(l3("c"), "abc1!2");
assertEq(l3("d"), "abd1!!2", "the captured variable persists");

// A closure outlives its creator and keeps parameters alive.
function adder(k) { return function (v) { return v + k; }; }
var add5 = adder(5), add10 = adder(10);
assertEq(add5(1) + add10(1), 17);

// Closures capture variables, not values.
function late() {
    var f = function () { return v; };
    var v = "late";
    return f();
}
assertEq(late(), "late");

// Recursion through a captured variable.
function outer() {
    var fib = function (n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); };
    return fib(15);
}
assertEq(outer(), 610);

// Many closures from one scope (memoize).
function memo(f) {
    var cache = {};
    return function (n) {
        if (!(n in cache))
            cache[n] = f(n);
        return cache[n];
    };
}
var calls = 0;
var sq = memo(function (n) { calls++; return n * n; });
sq(4); sq(4); sq(5);
assertEq(calls, 2);

print(c1.get(), c2.get(), fs[0](), gs[2](), l3("e"), add5(2), outer());
print("ok closures");

// Recursion: plain, mutual and deep; unbounded recursion raises a
// RangeError that JS can catch, after which the engine keeps working
// (and can recurse deeply again).

function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
assertEq(fib(20), 6765);

function isEven(n) { return n === 0 ? true : isOdd(n - 1); }
function isOdd(n) { return n === 0 ? false : isEven(n - 1); }
assert(isEven(100) && isOdd(77));

function ack(m, n) {
    if (m === 0) return n + 1;
    if (n === 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}
assertEq(ack(2, 3), 9);

// Moderate depth works.
function depth(n) { return n === 0 ? 0 : 1 + depth(n - 1); }
assertEq(depth(1000), 1000);

// Unbounded depth: RangeError, catchable.
var calls = 0;
function forever(n) { calls++; return forever(n + 1) + 1; }
var e = assertThrows(RangeError, function () { forever(0); }, "1e6-deep recursion");
assert(calls > 1000, "recursed a fair way first");
assert(e instanceof Error);

// Same through a method, a constructor and apply.
var obj = { m: function (n) { return n >= 1e6 ? n : this.m(n + 1); } };
assertThrows(RangeError, function () { obj.m(0); });
function Ctor(n) { if (n < 1e6) new Ctor(n + 1); }
assertThrows(RangeError, function () { new Ctor(0); });
function viaApply(n) { return n >= 1e6 ? n : viaApply.apply(null, [n + 1]); }
assertThrows(RangeError, function () { viaApply(0); });

// finally blocks run while the RangeError unwinds.
var finallies = 0;
function withFinally(n) {
    try { return n >= 1e6 ? n : withFinally(n + 1); } finally { finallies++; }
}
assertThrows(RangeError, function () { withFinally(0); });
assert(finallies > 1000, "finally ran on every unwound frame");

// The engine recovers completely.
assertEq(depth(1000), 1000);
assertEq(fib(15), 610);
assertThrows(RangeError, function () { forever(0); }, "a second overflow");
assertEq(depth(500), 500);

print(fib(20), ack(2, 3), depth(1000), e.name);
print("ok recursion");

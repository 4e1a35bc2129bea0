// Math basics: PI, floor/ceil/round/abs/min/max/sqrt/pow/random,
// and their edge cases (-0, NaN, Infinity, halves, empty min/max).

assertEq(Math.PI, 3.141592653589793);

assertEq(Math.floor(1.7), 1);
assertEq(Math.floor(-1.2), -2);
assertEq(Math.floor(-0), -0);
assertEq(Math.floor(5), 5);
assertEq(Math.ceil(1.2), 2);
assertEq(Math.ceil(-1.7), -1);
assertEq(Math.ceil(-0.5), -0);
assertEq(Math.floor(1e300), 1e300);
assertEq(Math.floor(NaN), NaN);
assertEq(Math.floor(-Infinity), -Infinity);
assertEq(Math.floor(2147483648.5), 2147483648);

// round: halves go towards +Infinity.
assertEq(Math.round(2.5), 3);
assertEq(Math.round(-2.5), -2);
assertEq(Math.round(0.49999999999999994), 0);
assertEq(Math.round(-0.4), -0);
assertEq(Math.round(-0.5), -0);
assertEq(Math.round(1.4), 1);
assertEq(Math.round(-1.6), -2);

assertEq(Math.abs(-3), 3);
assertEq(Math.abs(-0), 0);
assertEq(Math.abs(-Infinity), Infinity);
assertEq(Math.abs(-2147483648), 2147483648);
assertEq(Math.abs("-2"), 2);

assertEq(Math.min(3, 1, 2), 1);
assertEq(Math.max(3, 1, 2), 3);
assertEq(Math.min(), Infinity);
assertEq(Math.max(), -Infinity);
assertEq(Math.max(1, NaN, 3), NaN);
assertEq(Math.min(0, -0), -0);
assertEq(Math.max(-0, 0), 0);
assertEq(Math.max("10", 9), 10);

assertEq(Math.sqrt(16), 4);
assertEq(Math.sqrt(2), 1.4142135623730951);
assertEq(Math.sqrt(-1), NaN);
assertEq(Math.sqrt(-0), -0);
assertEq(Math.sqrt(Infinity), Infinity);

assertEq(Math.pow(2, 10), 1024);
assertEq(Math.pow(2, -2), 0.25);
assertEq(Math.pow(2, 0.5), 1.4142135623730951);
assertEq(Math.pow(NaN, 0), 1);
assertEq(Math.pow(0, -1), Infinity);
assertEq(Math.pow(-8, 1 / 3), NaN);
assertEq(Math.pow(10, 21), 1e21);

// random is a number in [0, 1).
var i, r;
for (i = 0; i < 100; i++) {
    r = Math.random();
    assert(typeof r === "number" && r >= 0 && r < 1);
}

print(Math.floor(-1.2), Math.ceil(-1.7), Math.round(2.5), Math.round(-2.5), Math.abs(-3));
print(Math.min(3, 1, 2), Math.max(), Math.sqrt(2), Math.pow(2, -2), Math.PI);
print("ok math_basics");

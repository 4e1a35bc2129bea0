// The exponentiation operator **: values, right associativity,
// precedence against unary and multiplicative operators, special cases
// from Math.pow, and **= (see also assignment_compound).

assertEq(2 ** 10, 1024);
assertEq(2 ** 0.5, 1.4142135623730951);
assertEq(2 ** -1, 0.5);
assertEq(2 ** -2, 0.25);
assertEq((-2) ** 3, -8);
assertEq((-2) ** 2, 4);
assertEq(2 ** 3 ** 2, 512, "right associative");
assertEq((2 ** 3) ** 2, 64);
assertEq(-(2 ** 2), -4);
assertEq(2 * 3 ** 2, 18, "binds tighter than *");
assertEq(2 ** 3 * 2, 16);
assertEq(-2 * 2 ** 2, -8);
assertEq(2 ** -(1), 0.5);
var n = 3;
assertEq(2 ** ++n, 16);
assertEq(n ** 2, 16);
assertEq(n++ ** 2, 16);
assertEq(n, 5);

// Special values.
assertEq(NaN ** 0, 1);
assertEq(1 ** Infinity, NaN);
assertEq(0 ** 0, 1);
assertEq(0 ** -1, Infinity);
assertEq((-0) ** -1, -Infinity);
assertEq((-0) ** 3, -0);
assertEq((-8) ** (1 / 3), NaN);
assertEq(10 ** 308 * 10, Infinity);
assertEq(2 ** 1024, Infinity);
assertEq(2 ** -1074, 5e-324);
assertEq(2 ** 31, 2147483648);
assertEq(2 ** 53 + 1, 9007199254740992);
assertEq("3" ** "2", 9);
assertEq(Infinity ** -1, 0);

// **=
var x = 3;
x **= 2;
assertEq(x, 9);
x **= 0.5;
assertEq(x, 3);
var o = { p: 2 };
o.p **= 3 ** 2;
assertEq(o.p, 512);

print(2 ** 10, 2 ** 3 ** 2, (-2) ** 3, 2 ** -1, 0 ** -1, (-0) ** -1, 2 ** 1024);
print("ok exponent_operator");

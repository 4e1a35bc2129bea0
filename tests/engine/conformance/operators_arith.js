// Arithmetic operators: + - * / %, unary + and -, ++/-- in prefix and
// postfix form, string concatenation, ToNumber of operands, small-integer
// overflow into doubles, -0, division by zero, NaN and Infinity.

// Basic integer and float arithmetic.
assertEq(7 + 5, 12);
assertEq(7 - 10, -3);
assertEq(6 * 7, 42);
assertEq(7 / 2, 3.5);
assertEq(1 / 3 * 3, 1);
assertEq(0.1 * 3, 0.30000000000000004);
assertEq(2 + 3 * 4 - 6 / 2, 11, "precedence");
assertEq((2 + 3) * 4, 20);
assertEq(10 - 4 - 3, 3, "left associative");
assertEq(64 / 4 / 2, 8);

// Remainder: sign of the dividend, works on fractions.
assertEq(7 % 3, 1);
assertEq(-7 % 3, -1);
assertEq(7 % -3, 1);
assertEq(5.5 % 2, 1.5);
assertEq(-4 % 2, -0);
assertEq(4 % 0, NaN);
assertEq(Infinity % 2, NaN);
assertEq(3 % Infinity, 3);

// Overflow of small integers must produce exact doubles.
var big = 0x3fffffff;
assertEq(big + 1, 1073741824);
assertEq(2147483647 + 1, 2147483648);
assertEq(-2147483648 - 1, -2147483649);
assertEq(65536 * 65536, 4294967296);
assertEq(46341 * 46341, 2147488281);
assertEq(-2147483648 * -1, 2147483648);
assertEq(-2147483648 / -1, 2147483648);
assertEq(2147483647 * 2147483647, 4611686014132420609);
var m = 2147483647;
m++;
assertEq(m, 2147483648);
m = -2147483648;
m--;
assertEq(m, -2147483649);

// Signed zero.
var zero = 0;
assertEq(-zero, -0);
assertEq(0 * -1, -0);
assertEq(-0 + 0, 0);
assertEq(-0 - 0, -0);
assertEq(-0 + -0, -0);
assertEq(1 / -Infinity, -0);
assertEq(zero * -5, -0);

// Division by zero and special values.
assertEq(1 / 0, Infinity);
assertEq(-1 / 0, -Infinity);
assertEq(1 / -0, -Infinity);
assertEq(0 / 0, NaN);
assertEq(Infinity - Infinity, NaN);
assertEq(Infinity * 0, NaN);
assertEq(NaN + 1, NaN);
assertEq(1e308 * 10, Infinity);

// + with strings concatenates; other operators convert to number.
assertEq("3" + 4, "34");
assertEq(3 + "4", "34");
assertEq(1 + 2 + "3", "33");
assertEq("1" + 2 + 3, "123");
assertEq("6" - 2, 4);
assertEq("6" * "2", 12);
assertEq("7" / "2", 3.5);
assertEq("a" - 1, NaN);
assertEq(true + 1, 2);
assertEq(null + 1, 1);
assertEq(undefined + 1, NaN);
assertEq("x" + null + undefined + true, "xnullundefinedtrue");
assertEq(+"", 0);
assertEq(+true, 1);
assertEq(+null, 0);
assertEq(-"3", -3);
assertEq(+{ valueOf: function () { return 9; } }, 9);
assertEq({ valueOf: function () { return 2; } } + 3, 5);
assertEq("" + { toString: function () { return "T"; } }, "T");

// Increment and decrement.
var a = 5;
assertEq(a++, 5);
assertEq(a, 6);
assertEq(++a, 7);
assertEq(a--, 7);
assertEq(--a, 5);
var s = "5";
s++;
assertEq(s, 6, "++ converts to number");
var o = { n: 1 };
o.n++;
++o.n;
assertEq(o.n, 3);
var arr = [10];
arr[0]--;
assertEq(arr[0], 9);
var f = 1.5;
f++;
assertEq(f, 2.5);

print(7 / 2, -7 % 3, 5.5 % 2, 2147483647 + 1, 1 / -0, 0 / 0);
print("3" + 4, "6" - 2, 1 + 2 + "3", null + 1, 0.1 * 3);
print(65536 * 65536, -2147483648 - 1, 46341 * 46341);
print("ok operators_arith");

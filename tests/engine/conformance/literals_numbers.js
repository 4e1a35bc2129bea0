// Numeric literals (decimal, hex, octal 0o, binary 0b, exponents) and the
// Number-to-String conversion (shortest round-trip digits, exponent
// thresholds at 1e21 and 1e-7, -0, NaN, Infinity).

// Decimal forms.
assertEq(42, 40 + 2);
assertEq(.5, 0.5);
assertEq(5., 5);
assertEq(1e3, 1000);
assertEq(1E3, 1000);
assertEq(1e+3, 1000);
assertEq(1e-3, 0.001);
assertEq(2.5e2, 250);
assertEq(0.0, 0);
assertEq(9007199254740993, 9007199254740992, "rounds to nearest double");

// Hex, octal, binary.
assertEq(0x1F, 31);
assertEq(0XfF, 255);
assertEq(0x100000000, 4294967296);
assertEq(0xFFFFFFFFFFFFF, 4503599627370495);
assertEq(0o17, 15);
assertEq(0O777, 511);
assertEq(0b101, 5);
assertEq(0B11111111, 255);
assertEq(0b0, 0);
assertEq(0x7fffffff + 1, 2147483648);

// String to number (ToNumber via unary +).
assertEq(+"0x10", 16);
assertEq(+"0b101", 5);
assertEq(+"0o17", 15);
assertEq(+"  12  ", 12);
assertEq(+"", 0);
assertEq(+"1e3", 1000);
assertEq(+"-1.5", -1.5);
assertEq(+"Infinity", Infinity);
assertEq(+"-Infinity", -Infinity);
assertEq(+"abc", NaN);
assertEq(+"12px", NaN);
assertEq(+"-0", -0);

// Number to string.
var cases = [
    [0.1 + 0.2, "0.30000000000000004"],
    [1 / 3, "0.3333333333333333"],
    [2 / 3, "0.6666666666666666"],
    [100 / 3, "33.333333333333336"],
    [123456.789, "123456.789"],
    [-0, "0"],
    [NaN, "NaN"],
    [Infinity, "Infinity"],
    [-Infinity, "-Infinity"],
    [1e20, "100000000000000000000"],
    [1e21, "1e+21"],
    [123e20, "1.23e+22"],
    [1e-6, "0.000001"],
    [1.5e-6, "0.0000015"],
    [1e-7, "1e-7"],
    [-1.5e-7, "-1.5e-7"],
    [123e-20, "1.23e-18"],
    [5e-324, "5e-324"],
    [1.7976931348623157e308, "1.7976931348623157e+308"],
    [1e300 * 1e10, "Infinity"],
    [2 ** 53, "9007199254740992"],
    [2 ** 64, "18446744073709552000"],
    [-2147483648, "-2147483648"],
    [4294967295, "4294967295"],
    [0.000001234, "0.000001234"],
    [1.1, "1.1"],
    [4.35, "4.35"],
    [1e100, "1e+100"],
    [2.2250738585072014e-308, "2.2250738585072014e-308"]
];
var i;
for (i = 0; i < cases.length; i++)
    assertEq("" + cases[i][0], cases[i][1], "case " + i);

print(0.1 + 0.2, 1e21, 1e-7, -0, NaN, -Infinity);
print(0x1F, 0o17, 0b101, 1e3, .5);
print(2 ** 64, 5e-324, 1.7976931348623157e308);
print(1 / 7, 123456789012345680000, 0.000123);
print("ok literals_numbers");

// Bitwise and shift operators: & | ^ ~ << >> >>>, ToInt32/ToUint32 of
// large, negative, fractional and non-number operands, and shift counts
// taken modulo 32.

assertEq(0xF0 & 0x3C, 0x30);
assertEq(0xF0 | 0x0F, 0xFF);
assertEq(0xFF ^ 0x0F, 0xF0);
assertEq(~0, -1);
assertEq(~-1, 0);
assertEq(~5, -6);
assertEq(~~3.7, 3);
assertEq(~~-3.7, -3);

// ToInt32 wraps modulo 2^32.
assertEq(4294967296 | 0, 0);
assertEq(4294967297 | 0, 1);
assertEq(2147483648 | 0, -2147483648);
assertEq(4294967295 | 0, -1);
assertEq(-4294967297 | 0, -1);
assertEq(1e21 | 0, -559939584);
assertEq(NaN | 0, 0);
assertEq(Infinity | 0, 0);
assertEq(-Infinity & -1, 0);
assertEq(-0 | 0, 0);
assertEq("12" | 0, 12);
assertEq("0x10" | 1, 17);
assertEq(true | 0, 1);
assertEq(null | 0, 0);
assertEq(undefined | 0, 0);
assertEq(0x80000000 & 0x80000000, -2147483648);
assertEq(-1 & 0xFFFFFFFF, -1);
assertEq(0x12345678 ^ -1, -305419897);

// Shifts.
assertEq(1 << 3, 8);
assertEq(1 << 31, -2147483648);
assertEq(1 << 32, 1, "count is taken mod 32");
assertEq(1 << 33, 2);
assertEq(1 << -1, -2147483648);
assertEq(3 << 30, -1073741824);
assertEq(-16 >> 2, -4);
assertEq(-1 >> 31, -1);
assertEq(-1 >> 32, -1);
assertEq(0x7fffffff >> 30, 1);
assertEq(-1 >>> 0, 4294967295);
assertEq(-1 >>> 28, 15);
assertEq(-16 >>> 2, 1073741820);
assertEq(1 >>> 32, 1);
assertEq(2147483648 >>> 0, 2147483648);
assertEq(-2147483648 >>> 0, 2147483648);
assertEq(5.9 >> 1, 2);
assertEq(-5.9 >> 1, -3);
assertEq("8" >> "1", 4);
assertEq(1 << 2 + 1, 8, "shift binds looser than +");
assertEq(1 | 2 & 3, 3, "& binds tighter than |");
assertEq(6 & 3 ^ 1, 3, "& binds tighter than ^");
assertEq(1 ^ 3 | 4, 6, "^ binds tighter than |");

// A 32-bit hash written with shifts, as real programs do.
function fnv(str) {
    var h = 0x811c9dc5 | 0, i;
    for (i = 0; i < str.length; i++) {
        h ^= str.charCodeAt(i);
        h = (h + (h << 1) + (h << 4) + (h << 7) + (h << 8) + (h << 24)) | 0;
    }
    return h >>> 0;
}
assertEq(fnv("hello"), 1335831723);

print(1 << 31, -1 >>> 0, -16 >> 2, ~5, 4294967297 | 0);
print(0x12345678 ^ -1, 1e21 | 0, fnv("hello"), fnv("microBPF"));
print("ok operators_bitwise_shift");

// Concatenation and the character built-ins on their fast paths (Latin-1
// heap strings, int indexes, one-unit fromCharCode) must agree with the
// general ones: wide strings on either side, ROM atoms, empty operands,
// every length across word boundaries, index conversions.

// every length 0..20 on both sides: the copy and the length header
var a = "", b, i, j, t;
for (i = 0; i <= 20; i++) {
    b = "";
    for (j = 0; j <= 20; j++) {
        t = a + b;
        assertEq(t.length, i + j);
        if (i > 0) assertEq(t.charCodeAt(i - 1), 97 + (i - 1) % 26);
        if (j > 0) assertEq(t.charCodeAt(i + j - 1), 65 + (j - 1) % 26);
        b += String.fromCharCode(65 + j % 26);
    }
    a += String.fromCharCode(97 + i % 26);
}

// empty operands give the other operand unchanged
var built = "ab" + String.fromCharCode(99);
assertEq(built + "", "abc");
assertEq("" + built, "abc");
assertEq(("" + built).length, 3);

// wide strings on either side, and numbers next to wide strings
var wide = String.fromCharCode(0x3b1) + String.fromCharCode(0x3b2);
var mixed = built + wide;
assertEq(mixed.length, 5);
assertEq(mixed.charCodeAt(2), 99);
assertEq(mixed.charCodeAt(3), 0x3b1);
assertEq((wide + built).charCodeAt(1), 0x3b2);
assertEq((wide + built).charCodeAt(2), 97);
assertEq((wide + 42).charCodeAt(3), 50);
assertEq((42 + wide).charCodeAt(2), 0x3b1);
assertEq(mixed.charAt(4), String.fromCharCode(0x3b2));

// ROM atoms (names the engine knows) with heap strings
var name = "length";
assertEq(name + built, "lengthabc");
assertEq(built + name, "abclength");
assertEq((built + name).charCodeAt(3), 108);
assertEq(name.charCodeAt(5), 104);
assertEq(name + 7, "length7");

// charCodeAt: every index kind on a heap string
assertEq(built.charCodeAt(3), NaN);
assertEq(built.charCodeAt(-1), NaN);
assertEq(built.charCodeAt(1.9), 98);
assertEq(built.charCodeAt("2"), 99);
assertEq(built.charCodeAt(NaN), 97);
assertEq(built.charCodeAt(2147483647), NaN);

// fromCharCode: one Latin-1 unit, the edge of Latin-1, conversions
assertEq(String.fromCharCode(0).length, 1);
assertEq(String.fromCharCode(0).charCodeAt(0), 0);
assertEq(String.fromCharCode(255).charCodeAt(0), 255);
assertEq(String.fromCharCode(256).charCodeAt(0), 256);
assertEq(String.fromCharCode(-1).charCodeAt(0), 0xFFFF);
assertEq(String.fromCharCode("66"), "B");
assertEq(String.fromCharCode(65.7), "A");
assertEq(String.fromCharCode(65, 0x3b1).charCodeAt(1), 0x3b1);

// a long string built from pieces survives collections (small heaps)
var long = "";
for (i = 0; i < 300; i++) long += String.fromCharCode(97 + i % 26) + i + ",";
assertEq(long.length, 1390);
assertEq(long.slice(0, 8), "a0,b1,c2");
assertEq(long.charCodeAt(1389), 44);

print(t.length, mixed.length, long.length, built.charCodeAt(1.9));
print("ok string_building");

// String built-ins of the minimal set: length, indexing, charCodeAt,
// String.fromCharCode, indexOf, slice, and concatenation with +
// (including number formatting inside concatenation). Strings are
// immutable values compared by content.

var s = "hello, world";
assertEq(s.length, 12);
assertEq(s[0] + s[7], "hw");
assertEq(s[12], undefined);
assertEq(s.charCodeAt(0), 104);
assertEq(s.charCodeAt(11), 100);
assertEq(s.charCodeAt(12), NaN);
assertEq(s.charCodeAt(-1), NaN);
assertEq(s.charCodeAt(), 104, "default index 0");
assertEq("\u{1F600}".charCodeAt(1), 0xDE00);

assertEq(String.fromCharCode(104, 105), "hi");
assertEq(String.fromCharCode(), "");
assertEq(String.fromCharCode(0x20AC), "€");
assertEq(String.fromCharCode(65 + 65536), "A", "ToUint16");
assertEq(String.fromCharCode(0xD83D, 0xDE00), "😀");
assertEq(String.fromCharCode(72).length, 1);

assertEq(s.indexOf("o"), 4);
assertEq(s.indexOf("o", 5), 8);
assertEq(s.indexOf("world"), 7);
assertEq(s.indexOf("xyz"), -1);
assertEq(s.indexOf(""), 0);
assertEq(s.indexOf("", 5), 5);
assertEq(s.indexOf("h", -5), 0);
assertEq("a1b1".indexOf(1), 1, "argument converted to string");

assertEq(s.slice(7), "world");
assertEq(s.slice(0, 5), "hello");
assertEq(s.slice(-5), "world");
assertEq(s.slice(-5, -2), "wor");
assertEq(s.slice(5, 2), "");
assertEq(s.slice(100), "");
assertEq(s.slice(), s);

// Concatenation.
var parts = "";
var i;
for (i = 0; i < 5; i++)
    parts += i + ",";
assertEq(parts, "0,1,2,3,4,");
assertEq("a" + 1.5 + -0 + true + null + undefined, "a1.50truenullundefined");
assertEq("" + 1e21 + "|" + 1e-7 + "|" + (0.1 + 0.2), "1e+21|1e-7|0.30000000000000004");
assertEq("x" + [1, 2] + {}, "x1,2[object Object]");
var longStr = "";
for (i = 0; i < 1000; i++)
    longStr += String.fromCharCode(97 + i % 26);
assertEq(longStr.length, 1000);
assertEq(longStr.charCodeAt(999), 97 + 999 % 26);
assertEq(longStr.slice(26, 29), "abc");

// Comparison by content; strings are immutable.
var built = "hel" + "lo";
assert(built === "hello");
var im = "abc";
assertThrows(TypeError, function () { im[0] = "z"; });
assertEq(im, "abc");
assertEq(typeof s.slice, "function");
assertEq("abc".length + "de".length, 5);

// Methods called on a string through call.
assertEq(String.prototype.slice.call("method", 1, 3), "et");

print(s.length, s.charCodeAt(0), String.fromCharCode(104, 105), s.indexOf("world"), s.slice(-5, -2));
print(parts, longStr.slice(0, 30));
print("ok string_methods");

// The interpreter's fast paths must give the same results as the general
// ones: string + number concatenation, .length of strings and arrays,
// String.prototype methods on literal and built strings, charCodeAt,
// bitwise operators on numbers past the 31-bit small-integer range (boxed
// on 32-bit targets), compare-and-branch on every comparison, property
// reads after a property moves, and globals that shadow built-ins.

// string + number, both orders, every kind of number
var parts = ["a" + 1, 2 + "b", "c" + -3, "d" + 0, "e" + -0, "f" + 1.5, "g" + 1e21, "h" + NaN,
             "i" + Infinity, 1073741824 + "j", "k" + 2147483648, "l" + 9007199254740993,
             "\u0100" + 7, 8 + "\u0101", "" + 0, 12 + "", "m" + true, null + "n"];
assertEq(parts.join("|"),
         "a1|2b|c-3|d0|e0|f1.5|g1e+21|hNaN|iInfinity|1073741824j|k2147483648|" +
         "l9007199254740992|\u01007|8\u0101|0|12|mtrue|nulln");
var s = "", i;
for (i = 0; i < 40; i++) s += String.fromCharCode(97 + i % 26) + i + ",";
assertEq(s.length, 150);
assertEq(s.slice(0, 12), "a0,b1,c2,d3,");
assertEq(s.charCodeAt(149), 44);

// .length and methods of literal (ROM) and heap strings, arrays
var lit = "length", built = "len" + "gth";
assertEq(lit.length, 6);
assertEq(built.length, 6);
assertEq("".length, 0);
assertEq([1, 2, 3].length, 3);
assertEq(lit.charCodeAt(0), 108);
assertEq(built.charCodeAt(5), 104);
assertEq(built.charAt(1), "e");
assertEq(lit.indexOf("g"), 3);
assertEq(built.charCodeAt(6), NaN);
assertEq(built.charCodeAt(-1), NaN);
assertEq(built.charCodeAt(1.9), 101);
assertEq(built.charCodeAt("2"), 110);
assertEq(built.charCodeAt(), 108);
assertEq("\u0102x".charCodeAt(0), 258);

// bitwise operators on values past 2^30 (boxed numbers on 32-bit targets)
var big = 1073741824, h = 0x7fffffff, k;
assertEq(big | 0, 1073741824);
assertEq(big << 1, -2147483648);
assertEq((big << 1) >>> 0, 2147483648);
assertEq(-big - 1 | 0, -1073741825);
assertEq(h ^ -1, -2147483648);
assertEq(h & 0x40000000, 1073741824);
assertEq(-2147483648 >> 31, -1);
assertEq(-2147483648 >>> 31, 1);
assertEq(3221225472 >> 0, -1073741824);
assertEq(1.5e9 | 0.9, 1500000000);
assertEq(NaN | big, 1073741824);
assertEq(Infinity ^ 5, 5);
for (k = 0, h = 12345; k < 1000; k++) h = ((h << 5) ^ (h >>> 27) ^ k) + k | 0;
assertEq(h, 1847250300);

// compare-and-branch: ints, doubles, NaN, strings, both senses
function cmp(a, b) {
    var r = "";
    if (a < b) r += "lt ";
    if (!(a < b)) r += "!lt ";
    if (a <= b) r += "le ";
    if (!(a <= b)) r += "!le ";
    if (a > b) r += "gt ";
    if (!(a > b)) r += "!gt ";
    if (a >= b) r += "ge ";
    if (!(a >= b)) r += "!ge ";
    return r;
}
assertEq(cmp(1, 2), "lt le !gt !ge ");
assertEq(cmp(2, 2), "!lt le !gt ge ");
assertEq(cmp(3, 2), "!lt !le gt ge ");
assertEq(cmp(-9007199254740991, 9007199254740991), "lt le !gt !ge ");
assertEq(cmp(1.5, 1), "!lt !le gt ge ");
assertEq(cmp(NaN, 1), "!lt !le !gt !ge ");
assertEq(cmp("b", "a"), "!lt !le gt ge ");
var n = 0;
for (k = 10; k >= -10; k--) n++;
assertEq(n, 21);

// property reads through the same site on objects of different layouts
function getX(o) { return o.x; }
var objs = [{x: 1}, {a: 0, x: 2}, {a: 0, b: 0, c: 0, x: 3}, {y: 4}], sum = 0;
for (k = 0; k < 40; k++) sum += getX(objs[k % 3]);
assertEq(sum, 79);
assertEq(getX(objs[3]), undefined);
var o = {p: 1, q: 2};
assertEq(o.q, 2);
delete o.p;
assertEq(o.q, 2);
o.p = 3;
assertEq(o.p + o.q, 5);

// methods through get_method on many receivers
var arr = [];
for (k = 0; k < 5; k++) arr.push(k * k);
assertEq(arr.join(), "0,1,4,9,16");
assertEq(Math.max(3, 7) + Math.floor(2.5), 9);

// a global that shadows a built-in after the built-in has been read here
function useIsFinite() { return typeof isFinite === "function" ? isFinite(1) : isFinite; }
assertEq(useIsFinite(), true);
assertEq(useIsFinite(), true);
isFinite = "shadowed";
assertEq(useIsFinite(), "shadowed");

// ++ and -- as values (not statements) at the small-integer limits of both
// targets (2^30 on 32-bit, 2^53 on 64-bit) and on values that are not
// small integers
var lims = [1073741822, 1073741823, 1073741824, -1073741823, -1073741824, -1073741825,
            9007199254740990, 9007199254740991, 9007199254740992, -9007199254740991,
            0, -1, 1.5, -0.5, NaN, Infinity, "7", "x", true, null, undefined,
            {valueOf: function () { return 41; }}];
var incs = [], decs = [];
for (k = 0; k < lims.length; k++) {
    var a = lims[k], b = lims[k];
    incs.push(++a);
    decs.push(--b);
}
assertEq(incs.join(), "1073741823,1073741824,1073741825,-1073741822,-1073741823,-1073741824," +
         "9007199254740991,9007199254740992,9007199254740992,-9007199254740990," +
         "1,0,2.5,0.5,NaN,Infinity,8,NaN,2,1,NaN,42");
assertEq(decs.join(), "1073741821,1073741822,1073741823,-1073741824,-1073741825,-1073741826," +
         "9007199254740989,9007199254740990,9007199254740991,-9007199254740992," +
         "-1,-2,0.5,-1.5,NaN,Infinity,6,NaN,0,-1,NaN,40");
assertEq(1 / --lims[10], -1);
var u8 = new Uint8Array(2);
u8[0] = 255;
assertEq(++u8[0], 256);
assertEq(u8[0], 0);
assertEq(--u8[1], -1);
assertEq(u8[1], 255);

print(parts.length, s.length, h, sum);
print("ok interp_fast_paths");

// A comparison with a small integer constant followed by a branch is one
// instruction (jcmp_i16: <, <=, >, >=; jseq_i16, jsneq_i16: ===, !==
// against an int16), `o[k] = v;` as a statement does not keep its value
// (put_elem_drop), and `return k` for an int8 k is one instruction
// (return_i8). They must behave like the general instructions for every
// operand and every surrounding shape.

var log = [];
function take() {
    var s = log.join(",");
    log = [];
    return s;
}

// each comparison as a fused branch and as a value (not fused)
function branches(x) {
    var s = "";
    if (x < 8) s += "a"; else s += "-";
    if (x <= 8) s += "b"; else s += "-";
    if (x > 8) s += "c"; else s += "-";
    if (x >= 8) s += "d"; else s += "-";
    if (x === 8) s += "e"; else s += "-";
    if (x !== 8) s += "f"; else s += "-";
    if (!(x < -3)) s += "g"; else s += "-";
    if (x > 1000 || x < 0) s += "h"; else s += "-";
    if (x === 256 && x >= 256) s += "i"; else s += "-";
    if (x <= 32767) s += "j"; else s += "-";
    if (x >= -32768) s += "k"; else s += "-";
    if (x === 32768) s += "l"; else s += "-";
    if (x > -32769) s += "m"; else s += "-";
    return s;
}
function values(x) {
    var r = [x < 8, x <= 8, x > 8, x >= 8, x === 8, x !== 8, !(x < -3), x > 1000 || x < 0,
             x === 256 && x >= 256, x <= 32767, x >= -32768, x === 32768, x > -32769];
    var s = "", letters = "abcdefghijklm";
    for (var i = 0; i < r.length; i++) s += r[i] ? letters.charAt(i) : "-";
    return s;
}

var big = 4294967296;
var xs = [8, 7, 9, -3, -4, 0, -0, 256, 1001, 8.5, 7.999, 16 / 2, NaN, Infinity, -Infinity,
          32767, 32768, -32768, -32769, big, -big, "8", "7", "9", "", "abc", "256", true, false,
          null, undefined, {}, [], [8], [9, 1]];
for (var i = 0; i < xs.length; i++) {
    var got = branches(xs[i]), want = values(xs[i]);
    print(i, got);
    assertEq(got, want);
}

// loop bounds and counts with constants
var n = 0, j;
for (j = 0; j < 100; j++) n++;
for (j = 300; j >= 256; j--) n++;
for (j = -5; j !== 5; j++) n++;
assertEq(n, 100 + 45 + 10);
var w = 0;
while (w < 32767) w += 4096;
assertEq(w, 32768);
do w -= 10000; while (w > -30000);
assertEq(w, -37232);

// ToPrimitive runs once per comparison, on the left operand only
var obj = {valueOf: function () { log.push("v"); return 8; }};
if (obj < 9 && obj <= 8 && !(obj > 8) && obj >= 8) log.push("then");
assertEq(take(), "v,v,v,v,then");
if (obj === 8) log.push("same");
else log.push("not same");
assertEq(take(), "not same");
var str = {toString: function () { log.push("s"); return "10"; }, valueOf: null};
if (str > 9) log.push("ten");
assertEq(take(), "s,ten");
var thrower = {valueOf: function () { throw new Error("boom"); }};
assertThrows(Error, function () { if (thrower < 1) return 1; return 0; });

// put_elem_drop: arrays, typed arrays, plain objects, errors
var a = [1, 2, 3];
a[0] = 10;
a[2] = a[1] = 7;
a[1.5] = "x";
a["1"] = 20;
assertEq(a[0], 10);
assertEq(a[1], 20);
assertEq(a[2], 7);
assertEq(a[1.5], "x");
assertEq(a.length, 3);
var u = new Uint8Array(4);
u[0] = 256 + 5;
u[1] = -1;
u[2] = 3.7;
u[3] = "9";
u[9] = 1;
print(u[0], u[1], u[2], u[3], u[9]);
assertEq(u[0], 5);
assertEq(u[1], 255);
assertEq(u[2], 3);
assertEq(u[3], 9);
assertEq(u[9], undefined);
var o = {};
var key = {toString: function () { log.push("key"); return "k"; }};
o[key] = (log.push("value"), 1);
assertEq(take(), "value,key");
assertEq(o.k, 1);
var acc = {set x(v) { log.push("set " + v); }};
acc["x"] = 5;
assertEq(take(), "set 5");
assertThrows(TypeError, function () { var z = null; z[0] = 1; });
assertThrows(TypeError, function () { var z; z["a"] = 1; });
var counts = [0, 0];
for (j = 0; j < 10; j++) counts[j & 1]++;
counts[0]++;
assertEq(counts[0], 6);
assertEq(counts[1], 5);
var post = [5];
var old = post[0]++;
assertEq(old, 5);
assertEq(post[0], 6);
var po = {n: 1};
old = po.n--;
assertEq(old, 1);
assertEq(po.n, 0);

// an assignment statement whose value comes from two branches
var p = {}, q = {}, x = 0, y = 0;
function pick(c) {
    c ? p.f = 1 : q.f = 2;
    c ? x = 3 : y = 4;
    c ? a[0] = 5 : a[1] = 6;
    return 7;
}
var sum = 0;
for (j = 0; j < 1000; j++) sum += pick(j & 1);
assertEq(sum, 7000);
print(p.f, q.f, x, y, a[0], a[1]);
assertEq(p.f + q.f + x + y + a[0] + a[1], 21);
// return_i8: both arms of a returned conditional, nested conditionals and
// logical operators whose jumps land on the return, constructors, finally
function r1(c) { return c ? 1 : 0; }
function r2(c) { return c ? -128 : 127; }
function r3(c) { return c ? 128 : -129; }
function r4(c) { return c ? (c > 2 ? 1 : 2) : 3; }
function r5(c, d) { return c ? 4 : d && 5; }
function r6(c, d) { return c ? d || 6 : 7; }
function r7(c) { if (c) return -1; return 0; }
function r8(c) { try { if (c) return 1; } finally { log.push("fin"); } return 2; }
function R9() { this.v = 9; return 1; }
function r10(c) { return c ? 1 : c === 0 ? 2 : 3; }
var rs = [];
for (j = 0; j < 4; j++) {
    rs.push(r1(j), r2(j), r3(j), r4(j), r5(j, j & 1), r5(j, 0), r6(j, j & 2), r6(j, 0), r7(j),
            r8(j), r10(j));
}
print(rs.join(" "));
assertEq(rs.join(" "), "0 127 -129 3 0 0 7 7 0 2 2 " + "1 -128 128 2 4 4 6 6 -1 1 1 " +
                       "1 -128 128 2 4 4 2 6 -1 1 1 " + "1 -128 128 1 4 4 2 6 -1 1 1");
assertEq(take(), "fin,fin,fin,fin");
var r9 = new R9();
assertEq(typeof r9, "object");
assertEq(r9.v, 9);
assertEq(r10(null), 3);
print("ok fused_constants");

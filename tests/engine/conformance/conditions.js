// The tests of if, while, do-while and for compile `&&`, `||`, `!` and
// parenthesized groups of them to jumps, and fuse the comparisons at their
// leaves with the branch. Each shape must decide, evaluate and have side
// effects exactly like the same expression computed as a value.

var log = [];
function t(name, v) {
    log.push(name);
    return v;
}
function take() {
    var s = log.join(",");
    log = [];
    return s;
}

var vals = [0, -0, 1, -1, 0.5, NaN, Infinity, "", "0", "a", true, false, null, undefined, {}, []];

// every shape, as a condition and as a value, over every pair of values
function shapes(a, b, c) {
    var out = [];
    function both(cond, value) {
        out.push((cond ? "T" : "F") + (value ? "T" : "F"));
    }
    var r;
    r = !!(a && b);
    if (a && b) both(true, r); else both(false, r);
    r = !!(a || b);
    if (a || b) both(true, r); else both(false, r);
    r = !a;
    if (!a) both(true, r); else both(false, r);
    r = !!(!a && b);
    if (!a && b) both(true, r); else both(false, r);
    r = !!(a && !b);
    if (a && !b) both(true, r); else both(false, r);
    r = !(a || b);
    if (!(a || b)) both(true, r); else both(false, r);
    r = !(a && b);
    if (!(a && b)) both(true, r); else both(false, r);
    r = !!((a || b) && c);
    if ((a || b) && c) both(true, r); else both(false, r);
    r = !!(a || b && c);
    if (a || b && c) both(true, r); else both(false, r);
    r = !!(a && b || c);
    if (a && b || c) both(true, r); else both(false, r);
    r = !!(a && (b || c));
    if (a && (b || c)) both(true, r); else both(false, r);
    r = !!(!(a && b) || !c);
    if (!(a && b) || !c) both(true, r); else both(false, r);
    r = !!!!(a || !b);
    if (!!!!(a || !b)) both(true, r); else both(false, r);
    r = !!((a, b) && c);
    if ((a, b) && c) both(true, r); else both(false, r);
    r = !!(a ? b : c);
    if (a ? b : c) both(true, r); else both(false, r);
    r = !!(a && b ? c : a);
    if (a && b ? c : a) both(true, r); else both(false, r);
    r = !!(a, b || c);
    if (a, b || c) both(true, r); else both(false, r);
    r = !!(((a)) && (((b))));
    if (((a)) && (((b)))) both(true, r); else both(false, r);
    return out;
}

var i, j, k, n = 0;
for (i = 0; i < vals.length; i++) {
    for (j = 0; j < vals.length; j++) {
        k = (i + j) % vals.length;
        var res = shapes(vals[i], vals[j], vals[k]);
        for (var m = 0; m < res.length; m++) {
            if (res[m] !== "TT" && res[m] !== "FF")
                throw new Error("shape " + m + " on " + i + "," + j + "," + k + ": " + res[m]);
            if (res[m] === "TT") n++;
        }
    }
}
print("true shapes:", n);

// short-circuit order and side effects
if (t("a", 1) && t("b", 0) && t("c", 1)) log.push("then");
assertEq(take(), "a,b");
if (t("a", 0) || t("b", 0) || t("c", 1)) log.push("then");
assertEq(take(), "a,b,c,then");
if (t("a", 0) && t("b", 1) || t("c", 1) && t("d", 0) || t("e", "x")) log.push("then");
assertEq(take(), "a,c,d,e,then");
if (!(t("a", 1) || t("b", 1)) && t("c", 1)) log.push("then");
else log.push("else");
assertEq(take(), "a,else");
if ((t("a", 0), t("b", 1)) && !t("c", null)) log.push("then");
assertEq(take(), "a,b,c,then");
if (t("a", 1) ? t("b", 0) || t("c", 2) : t("d", 1)) log.push("then");
assertEq(take(), "a,b,c,then");

// relational leaves: NaN, mixed types, and ToPrimitive order
var nan = NaN, one = 1;
if (nan < one || nan >= one || !(nan <= one) && !(nan > one)) log.push("nan");
assertEq(take(), "nan");
if (!(nan < one) && !(one < nan)) log.push("unordered");
assertEq(take(), "unordered");
if ("10" < "9" && 10 > "9" && "b" > "a" && !("a" > "b")) log.push("strings");
assertEq(take(), "strings");
if (null >= 0 && null <= 0 && !(undefined >= 0) && !(undefined < 0)) log.push("null-undef");
assertEq(take(), "null-undef");
var p = {valueOf: function () { log.push("p"); return 2; }};
var q = {valueOf: function () { log.push("q"); return 3; }};
if (p < q && !(q < p) || t("never", 1)) log.push("then");
assertEq(take(), "p,q,q,p,then");
if (!(p >= q) && q > p) log.push("then");
assertEq(take(), "p,q,q,p,then");
var s = {toString: function () { log.push("s"); return "b"; }, valueOf: null};
if (s > "a" && !(s < "a")) log.push("then");
assertEq(take(), "s,s,then");

// === and !== leaves of every sense
var x = 5, y = "5";
if (x === 5 && y !== 5 && !(x !== 5) && !(y === 5)) log.push("strict");
assertEq(take(), "strict");
if (x == y && !(x != y)) log.push("loose");
assertEq(take(), "loose");

// loops: while, do-while and for with compound conditions, labels,
// break and continue
var a = [3, 1, 4, 1, 5, 9, 2, 6];
var idx = 0, sum = 0;
while (idx < a.length && a[idx] !== 9) sum += a[idx++];
assertEq(sum, 14);
assertEq(idx, 5);
idx = 0;
do {
    idx++;
} while (idx < a.length && !(a[idx] > 4) || idx === 4);
assertEq(idx, 5);
var count = 0;
outer: for (i = 0; i < 5 && !(i === 4); i++) {
    for (j = 0; j < 5 || t("never", 0); j++) {
        if (j > i || i === 2 && j === 1) continue outer;
        if (i === 3 && (j === 2 || j === 3)) break outer;
        count++;
    }
}
assertEq(count, 6);
assertEq(take(), "");
for (i = 0; !(i >= 3); i++) count++;
assertEq(count, 9);
for (i = 10; i > 0 && (i % 2 === 0 || i % 3 === 0); i--) count++;
assertEq(count, 12);
var left = 3;
do left--; while (!(left <= 0));
assertEq(left, 0);
// a condition that assigns
var cur, seen = [];
var items = [4, 7, 0, 2];
idx = 0;
while (cur = items[idx++]) seen.push(cur);
assertEq(seen.join(","), "4,7");
if ((cur = items[1]) > 5 && cur < 8) log.push("assign");
assertEq(take(), "assign");
// a group whose value is used, not only its truthiness
var o = {f: 0}, z = null;
if ((z || o).f === 0 && !(z && o)) log.push("value groups");
assertEq(take(), "value groups");
if (!(z || o).f) log.push("not member");
assertEq(take(), "not member");
if (!(x === 5) + 1 === 1) log.push("not plus");
assertEq(take(), "not plus");
if (!x < 1 && !!x > 0) log.push("not compare");
assertEq(take(), "not compare");
// conditions inside functions and deep nesting
function deep(a, b, c, d) {
    if (((a && (b || (c && !d))) || (!a && !(b || c))) && !(d && !a)) return "yes";
    return "no";
}
function deepValue(a, b, c, d) {
    var v = ((a && (b || (c && !d))) || (!a && !(b || c))) && !(d && !a);
    return v ? "yes" : "no";
}
var got = [], want = [];
for (i = 0; i < 16; i++) {
    got.push(deep(i & 1, i & 2, i & 4, i & 8));
    want.push(deepValue(i & 1, i & 2, i & 4, i & 8));
}
print(got.join(" "));
assertEq(got.join(" "), want.join(" "));
print("ok conditions");

// The compiler fuses `a === b` / `a !== b` followed by a branch into one
// compare-and-branch instruction (jseq/jsneq), and compiles
// `return c ? a : b` with a return in each branch. Both must behave like
// the unfused code for every kind of operand and every surrounding shape.

var values = [0, -0, 1, -1, 1073741824, 2147483647, -2147483648, 4294967296, 0.5, NaN,
              Infinity, "", "1", "a", "ab", true, false, null, undefined];
var objs = [{}, [], function () {}];

function eqIf(a, b) {
    if (a === b) return "eq";
    return "ne";
}
function neIf(a, b) {
    if (a !== b) return "ne";
    return "eq";
}
function eqCond(a, b) {
    return a === b ? "eq" : "ne";
}
function neCond(a, b) {
    return a !== b ? "ne" : "eq";
}
function eqLoop(a, b) {
    var n = 0;
    while (!(a === b) && n < 3) n++;
    return n === 3 ? "ne" : "eq";
}

var all = [], i, j, tally = 0;
for (i = 0; i < values.length; i++) all.push(values[i]);
for (i = 0; i < objs.length; i++) all.push(objs[i]);
for (i = 0; i < all.length; i++) {
    for (j = 0; j < all.length; j++) {
        var a = all[i], b = all[j], want = a === b ? "eq" : "ne";
        assertEq(eqIf(a, b), want);
        assertEq(neIf(a, b), want);
        assertEq(eqCond(a, b), want);
        assertEq(neCond(a, b), want);
        assertEq(eqLoop(a, b), want);
        if (want === "eq") tally++;
    }
}
// every value equals itself except NaN; 0 and -0 equal each other
assertEq(tally, all.length - 1 + 2);
// heap strings built at run time against literal ones
var built = "a" + "b";
assertEq(eqCond(built, "ab"), "eq");
assertEq(neIf(built.slice(1), "b"), "eq");

// return c ? a : b in every shape: nested in either branch, with && and ||
// in the condition, with calls and closures in the branches, inside loops
// and switch, and when the result feeds nothing else.
function nest(x, y) {
    return x ? (y ? "tt" : "tf") : y === 3 ? "f3" + x : x || y ? "fo" : "ff";
}
assertEq([nest(1, 1), nest(1, 0), nest(0, 3), nest(0, 2), nest(0, 0)].join(","),
         "tt,tf,f30,fo,ff");
function logic(x, y) {
    return (x && y) || (!x && !y) ? "same" : "diff";
}
assertEq([logic(1, 1), logic(0, 0), logic(1, 0), logic(0, 1)].join(","), "same,same,diff,diff");
function inner(x) {
    return x < 5 ? (function () { return x > 2 ? "mid" : "low"; })() : "high";
}
assertEq([inner(1), inner(3), inner(7)].join(","), "low,mid,high");
function inLoop(n) {
    for (var k = 0; k < 10; k++) {
        switch (k) {
        case 4:
            if (n === k) return k === 4 ? "four" : "never";
            break;
        default:
            if (n === k) return k % 2 ? "odd" : "even";
        }
    }
    return n > 9 ? "big" : "none";
}
assertEq([inLoop(2), inLoop(3), inLoop(4), inLoop(12), inLoop(-1)].join(","),
         "even,odd,four,big,none");
function comma(x) {
    return x, x ? "yes" : "no";
}
assertEq(comma(0) + comma(1), "noyes");
// a conditional followed by more code is not a tail
function notTail(x) {
    return (x ? 1 : 2) + 10;
}
assertEq(notTail(0) + notTail(1), 23);
// inside try/finally the return still runs the finally block
var fin = 0;
function withFinally(x) {
    try {
        return x ? "t" : "f";
    } finally {
        fin++;
    }
}
assertEq(withFinally(1) + withFinally(0), "tf");
assertEq(fin, 2);
// the line of an error thrown from the moved else-branch
function thrower(x) {
    return x ? 1 :
        null.p;
}
try {
    thrower(0);
} catch (e) {
    assertEq(e instanceof TypeError, true);
}

print(tally, nest(0, 3), inLoop(4));
print("ok fused_branches");

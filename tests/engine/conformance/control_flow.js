// Statements: if/else chains, switch (strict matching, fallthrough,
// default in the middle, lazy case evaluation), for, while, do-while,
// break and continue, labels on loops and blocks, empty statements.

function classify(n) {
    if (n < 0)
        return "neg";
    else if (n === 0)
        return "zero";
    else if (n < 10) {
        return "small";
    } else
        return "big";
}
assertEq([classify(-1), classify(0), classify(5), classify(50)].join(), "neg,zero,small,big");

// Dangling else binds to the nearest if.
function dangle(a, b) {
    var r = "none";
    if (a)
        if (b) r = "ab";
        else r = "a!b";
    return r;
}
assertEq(dangle(true, false), "a!b");
assertEq(dangle(false, false), "none");

// switch: === matching, fallthrough, default placement.
function sw(x) {
    var r = "";
    switch (x) {
    case 1:
        r += "1";
    case 2:
        r += "2";
        break;
    default:
        r += "d";
    case 3:
        r += "3";
        break;
    case "1":
        r += "s";
    }
    return r;
}
assertEq(sw(1), "12");
assertEq(sw(2), "2");
assertEq(sw(3), "3");
assertEq(sw("1"), "s", "strict equality");
assertEq(sw(9), "d3", "default in the middle falls through");
function noDefault(x) {
    switch (x) { case 1: return "one"; }
    return "fell out";
}
assertEq(noDefault(2), "fell out");
var evaluated = [];
function c(v) { evaluated.push(v); return v; }
switch (2) {
case c(1): break;
case c(2): break;
case c(3): break;
}
assertEq(evaluated.join(), "1,2", "cases evaluated lazily in order");
switch (0) {}
function swStr(s) {
    switch (s) {
    case "a": case "b": return "ab";
    case "c": return "c";
    default: return "?";
    }
}
assertEq(swStr("b") + swStr("c") + swStr("zz"), "abc?");

// Loops.
var i, s = 0;
for (i = 0; i < 10; i++) s += i;
assertEq(s, 45);
for (;;) { s++; if (s > 50) break; }
assertEq(s, 51);
var n = 0;
while (n < 5) n++;
assertEq(n, 5);
var runs = 0;
do { runs++; } while (false);
assertEq(runs, 1, "do-while runs at least once");
var odd = [];
for (i = 0; i < 10; i++) {
    if (i % 2 === 0) continue;
    if (i > 7) break;
    odd.push(i);
}
assertEq(odd, [1, 3, 5, 7]);
var k = 0;
do {
    k++;
    if (k < 3) continue;
    break;
} while (true);
assertEq(k, 3, "continue in do-while jumps to the test");
for (i = 0; i < 3; i++);
assertEq(i, 3, "empty body");

// Labels: break and continue to outer loops, break out of a block.
var pairs = [];
outer: for (i = 0; i < 4; i++) {
    for (var j = 0; j < 4; j++) {
        if (j === 2) continue outer;
        if (i === 3) break outer;
        pairs.push("" + i + j);
    }
}
assertEq(pairs.join(), "00,01,10,11,20,21");
var found = null;
search: {
    for (i = 0; i < 5; i++)
        if (i * i === 9) { found = i; break search; }
    found = "never";
}
assertEq(found, 3);
var w = 0;
loop1: while (true) {
    loop2: do {
        w++;
        if (w === 2) continue loop2;
        if (w > 4) break loop1;
    } while (w < 3);
}
assertEq(w, 5);
var m = 0;
a: b: for (i = 0; i < 3; i++) { m++; continue a; }
assertEq(m, 3, "several labels on one statement");

print(sw(1), sw(9), s, odd.join(""), pairs.join(" "), found, w);
print("ok control_flow");

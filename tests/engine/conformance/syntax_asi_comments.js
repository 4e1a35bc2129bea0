// Lexical grammar: comments of both kinds anywhere, automatic semicolon
// insertion (including its restricted productions: return, break,
// continue, throw and postfix ++/-- on a new line), and reserved words as
// property names.

/* block comment */ var a = 1 /* inline */ + 2; // line comment
assertEq(a, 3);
/*
 * multi-line block comment with a * and a / inside
 */
var b = 4 /*
*/ + 1;
assertEq(b, 5);
var slashes = "// not a comment" + '/* nor this */';
assertEq(slashes.length, 30);

// Statements without semicolons.
var c = 1
var d = 2
assertEq(c + d, 3)
function noSemis() {
    var x = 10
    x++
    return x
}
assertEq(noSemis(), 11)

// return followed by a newline returns undefined.
function restricted() {
    return
    42;
}
assertEq(restricted(), undefined);

// ++ on the next line applies to the following operand.
var p = 1, q = 1;
p
++q
assertEq(p, 1);
assertEq(q, 2);

// A line that starts with ( continues the previous expression; ; guards it.
var fn = function () { return "called"; }
var res = fn
("ignored")
assertEq(res, "called");

// ASI before } and at the end of the input.
function oneLine() { return 5 }
assertEq(oneLine(), 5);
var loops = 0
do loops++; while (loops < 3) assertEq(loops, 3)

// break/continue with a label on the next line: the label is not taken.
var broke = 0;
lbl: for (var i = 0; i < 3; i++) {
    for (var j = 0; j < 3; j++) {
        broke++;
        break
        lbl;
    }
}
assertEq(broke, 3);

// Reserved words as property names.
var kw = { var: 1, function: 2, return: 3, new: 4, typeof: 5, class: 6, default: 7, in: 8 };
assertEq(kw.var + kw.function + kw.return + kw.new + kw.typeof + kw.class + kw.default + kw.in, 36);
kw.delete = 9;
assertEq(kw["delete"], 9);

// Tab, vertical tab, form feed, no-break space and byte order mark are
// whitespace; U+2028 is a line terminator (so ASI applies after it).
var ws = 1 +	2 +3+ 4 +﻿5;
assertEq(ws, 15);
var ls = 1 var lt = 2;
assertEq(ls + lt, 3);

print(a, b, noSemis(), restricted(), q, res, broke, kw.class)
print("ok syntax_asi_comments")

// expect: SyntaxError at 4
// node: same
var a = 1, b = 2;
if (a && b = 3) print("no");

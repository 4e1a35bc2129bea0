// expect: SyntaxError at 3
// node: same
var s = "abc;
var t = 1;

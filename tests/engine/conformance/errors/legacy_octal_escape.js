// expect: SyntaxError at 3
// node: same
var s = "a\01";

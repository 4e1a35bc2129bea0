// expect: SyntaxError at 3
// node: same
var o = { get x(a) { return a; } };

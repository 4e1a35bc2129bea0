// expect: SyntaxError at 3
// node: same
var y = -2 ** 2;

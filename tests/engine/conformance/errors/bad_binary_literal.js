// expect: SyntaxError at 3
// node: same
var b = 0b102;

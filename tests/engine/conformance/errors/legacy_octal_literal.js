// expect: SyntaxError at 3:9
// node: same
var x = 017;

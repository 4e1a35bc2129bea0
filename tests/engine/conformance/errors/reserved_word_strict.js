// expect: SyntaxError at 3:5
// node: same
var interface = 1;

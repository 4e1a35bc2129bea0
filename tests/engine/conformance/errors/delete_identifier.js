// expect: SyntaxError at 4
// node: same
var x = 1;
delete x;

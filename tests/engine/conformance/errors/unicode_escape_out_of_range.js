// expect: SyntaxError at 3
// node: same
var s = "\u{110000}";

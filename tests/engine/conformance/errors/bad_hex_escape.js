// expect: SyntaxError at 3
// node: same
var s = "\x4g";

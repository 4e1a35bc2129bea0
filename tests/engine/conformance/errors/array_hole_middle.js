// expect: SyntaxError at 3:13
// Stricter mode: an elision (hole) in an array literal is a SyntaxError.
var a = [1, , 2];

// expect: SyntaxError at 3:16
// One trailing comma is allowed; a second one makes a hole.
var a = [1, 2, , ];

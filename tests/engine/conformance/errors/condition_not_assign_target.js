// expect: SyntaxError at 4
// node: same
var a = 1;
while (!a = 3) print("no");

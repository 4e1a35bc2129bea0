// expect: SyntaxError at 4:1
// node: same
var o = { x: 1 };
with (o) {
    x = 2;
}

// expect: SyntaxError at 3:18
// node: same
function f(a, b, a) {
    return a + b;
}

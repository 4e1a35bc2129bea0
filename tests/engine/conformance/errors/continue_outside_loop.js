// expect: SyntaxError at 4
// node: same
function f() {
    continue;
}

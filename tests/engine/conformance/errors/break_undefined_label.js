// expect: SyntaxError at 4
// node: same
while (true) {
    break nowhere;
}

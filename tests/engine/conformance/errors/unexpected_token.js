// expect: SyntaxError at 6:14
// node: same
function ok() {
    return 1;
}
var broken = ;

// expect: SyntaxError at 3
// node: same
return 1;

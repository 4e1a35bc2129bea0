// expect: ReferenceError
// node: same
// stderr: undeclaredThing
var declared = 1;
undeclaredThing = declared;

// expect: TypeError
// Stricter mode: no value boxing.
var n = new Number(1);

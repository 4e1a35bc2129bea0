// expect: TypeError
// Stricter mode: writing past the end of an array (not at length) throws.
var a = [1, 2, 3];
a[4] = 5;

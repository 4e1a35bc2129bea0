// expect: RangeError
// node: same
// stderr: boom
// stderr: innerFunction
// stderr: outerFunction
function innerFunction() {
    throw new RangeError("boom");
}
function outerFunction() {
    innerFunction();
}
print("before");
outerFunction();
print("never");

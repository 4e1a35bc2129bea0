// expect: TypeError
// node: same
// stderr: callsUndefined
function callsUndefined() {
    var notAFunction;
    notAFunction();
}
callsUndefined();

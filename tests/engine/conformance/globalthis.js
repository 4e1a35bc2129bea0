// globalThis and the global scope: top-level var and function
// declarations become properties of the global object, top-level this is
// the global object, built-ins are reachable through it, and properties
// added to it are visible as globals.

assertEq(typeof globalThis, "object");
assert(globalThis.globalThis === globalThis);
assert(this === globalThis, "top-level this");

var gv = 42;
function gf() { return "gf"; }
assertEq(globalThis.gv, 42);
assertEq(globalThis.gf(), "gf");
assert("gv" in globalThis);
globalThis.gv = 43;
assertEq(gv, 43, "writes through globalThis are seen by the variable");
gv = 44;
assertEq(globalThis.gv, 44);

// Built-ins.
assert(globalThis.Math === Math);
assert(globalThis.Object === Object);
assert(globalThis.print === print);
assert(globalThis.Uint8Array === Uint8Array);
assertEq(globalThis.undefined, undefined);
assertEq(globalThis.NaN, NaN);
assertEq(globalThis.Infinity, Infinity);

// A property added to the global object is a global binding.
globalThis.addedLater = "added";
assertEq(addedLater, "added");
function readsAdded() { return addedLater; }
assertEq(readsAdded(), "added");

// Functions reach globals declared after them.
function readsLate() { return lateGlobal; }
var lateGlobal = "late";
assertEq(readsLate(), "late");

// undefined, NaN and Infinity cannot be overwritten.
assertThrows(TypeError, function () { undefined = 1; });
assertThrows(TypeError, function () { NaN = 1; });
assertThrows(TypeError, function () { globalThis.Infinity = 1; });
assertEq(Infinity, 1 / 0);

print(typeof globalThis, globalThis.gv, globalThis.gf(), addedLater, readsLate());
print("ok globalthis");

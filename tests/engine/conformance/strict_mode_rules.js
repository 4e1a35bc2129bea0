// ES5 strict-mode rules that ujs applies everywhere (node runs this file
// with "use strict" prepended): assignment to undeclared names throws
// ReferenceError, this is undefined in plain calls and not boxed in
// calls with a primitive this, writes to read-only or accessor-only
// properties and to primitives throw TypeError, and arguments does not
// alias parameters. Compile-time rules are in errors/.

// Assignment to an undeclared name.
assertThrows(ReferenceError, function () { undeclaredGlobal = 1; });
assertEq(typeof undeclaredGlobal, "undefined", "no global was created");
assertThrows(ReferenceError, function () { undeclaredGlobal += 1; });
assertThrows(ReferenceError, function () { undeclaredGlobal++; });
assertThrows(ReferenceError, function () { return undeclaredGlobal; });
var declared;
declared = 1;
assertEq(declared, 1);
function declaresLocal() { var local; local = 2; return local; }
assertEq(declaresLocal(), 2);

// this in plain calls and with primitive receivers.
function whatThis() { return this; }
assertEq(whatThis(), undefined);
assertEq(whatThis.call(5), 5);
assertEq(typeof whatThis.call(5), "number", "primitive this is not boxed");
assertEq(typeof whatThis.call("s"), "string");
assertEq(whatThis.call(null), null);
assertEq(whatThis.call(undefined), undefined);
assertEq(whatThis.apply(true), true);
var holder = { m: whatThis };
assert(holder.m() === holder);
assert((holder.m)() === holder, "parenthesised member call keeps this");
assertEq((0, holder.m)(), undefined, "comma operator drops this");

// Writes that fail silently in sloppy mode throw in strict mode.
var ro = {};
Object.defineProperty(ro, "x", { value: 1, writable: false });
assertThrows(TypeError, function () { ro.x = 2; });
var getterOnly = { get g() { return 1; } };
assertThrows(TypeError, function () { getterOnly.g = 2; });
assertThrows(TypeError, function () { "str".prop = 1; });
assertThrows(TypeError, function () { var n = 5; n.prop = 1; });
assertThrows(TypeError, function () { "abc".length = 1; });
assertThrows(TypeError, function () { undefined.x = 1; });
assertThrows(TypeError, function () { null[0] = 1; });

// arguments does not track parameters.
function noAlias(a) { arguments[0] = 9; return a; }
assertEq(noAlias(1), 1);
function noAlias2(a) { a = 9; return arguments[0]; }
assertEq(noAlias2(1), 1);

// Function declarations in functions are local.
function makesLocal() { function helper() { return 1; } return helper(); }
assertEq(makesLocal(), 1);
assertEq(typeof helper, "undefined");

print(whatThis(), typeof whatThis.call(5), noAlias(1), typeof undeclaredGlobal);
print("ok strict_mode_rules");

// The typeof, instanceof, in, delete and void operators.

// typeof on every kind of value, and on an undeclared name (no error).
assertEq(typeof undefined, "undefined");
assertEq(typeof null, "object");
assertEq(typeof true, "boolean");
assertEq(typeof 0, "number");
assertEq(typeof NaN, "number");
assertEq(typeof 2.5, "number");
assertEq(typeof "", "string");
assertEq(typeof {}, "object");
assertEq(typeof [], "object");
assertEq(typeof function () {}, "function");
assertEq(typeof print, "function");
assertEq(typeof Math, "object");
assertEq(typeof Math.floor, "function");
assertEq(typeof Object, "function");
assertEq(typeof new Uint8Array(1), "object");
assertEq(typeof notDeclaredAnywhere, "undefined");
assertEq(typeof typeof 1, "string");
var declaredLater;
assertEq(typeof declaredLater, "undefined");

// instanceof follows the prototype chain of the left operand.
function Animal() {}
function Dog() {}
Dog.prototype = Object.create(Animal.prototype);
var d = new Dog();
assert(d instanceof Dog);
assert(d instanceof Animal);
assert(d instanceof Object);
assert(!(d instanceof Array));
assert([] instanceof Array && [] instanceof Object);
assert(function () {} instanceof Function);
assert(new TypeError("x") instanceof Error);
assert(!(1 instanceof Number), "primitives are not instances");
assert(!("s" instanceof String));
assert(!(null instanceof Object));
assert(!(Object.create(null) instanceof Object));
assertThrows(TypeError, function () { return d instanceof {}; }, "non-callable right side");

// in: own and inherited properties, array indexes, string keys.
var o = { a: 1, 2: "two" };
assert("a" in o);
assert(2 in o && "2" in o);
assert(!("b" in o));
assert("toString" in o, "inherited");
var proto = { inherited: 1 };
var child = Object.create(proto);
assert("inherited" in child);
assert(0 in [5] && !(1 in [5]));
assert("length" in []);
assert("x" in { x: undefined });
assertThrows(TypeError, function () { return "a" in "abc"; }, "primitive right side");

// delete removes own configurable properties and returns true.
var p = { x: 1, y: 2 };
assertEq(delete p.x, true);
assert(!("x" in p));
assertEq(delete p.nothing, true);
assertEq(delete p["y"], true);
assertEq(Object.keys(p).length, 0);
var q = Object.create({ inh: 1 });
assertEq(delete q.inh, true, "deleting a missing own property");
assertEq(q.inh, 1, "inherited property untouched");
var fixed = {};
Object.defineProperty(fixed, "c", { value: 1, configurable: false });
assertThrows(TypeError, function () { delete fixed.c; }, "non-configurable in strict mode");
assertEq(fixed.c, 1);

// void evaluates its operand and yields undefined.
var side = 0;
assertEq(void 0, undefined);
assertEq(void (side = 5), undefined);
assertEq(side, 5);
assertEq(void "x" === undefined, true);

print(typeof null, typeof print, typeof notDeclaredAnywhere, typeof [], typeof 1.5);
print(d instanceof Animal, "a" in o, 1 in [5], delete p.z, void 1);
print("ok typeof_instanceof_in_delete_void");

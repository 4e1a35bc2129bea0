// this and new: constructors, prototype methods, prototype chains and
// shadowing, the constructor property, constructors returning objects,
// Object.create and Object.getPrototypeOf.

function Point(x, y) {
    this.x = x;
    this.y = y;
}
Point.prototype.norm1 = function () { return Math.abs(this.x) + Math.abs(this.y); };
Point.prototype.kind = "point";
var pt = new Point(3, -4);
assertEq(pt.x, 3);
assertEq(pt.norm1(), 7);
assertEq(pt.kind, "point");
assert(Object.getPrototypeOf(pt) === Point.prototype);
assert(Point.prototype.constructor === Point);
assert(pt.constructor === Point, "constructor inherited");
assert(Object.getPrototypeOf(Point.prototype) === Object.prototype);
assert(Object.getPrototypeOf(Object.prototype) === null);

// Shadowing an inherited property creates an own property.
pt.kind = "mine";
assertEq(pt.kind, "mine");
assertEq(new Point(0, 0).kind, "point");
delete pt.kind;
assertEq(pt.kind, "point");

// Changing the prototype object later is seen by existing instances.
Point.prototype.sum = function () { return this.x + this.y; };
assertEq(pt.sum(), -1);

// Inheritance through Object.create.
function Point3(x, y, z) {
    Point.call(this, x, y);
    this.z = z;
}
Point3.prototype = Object.create(Point.prototype);
Point3.prototype.constructor = Point3;
Point3.prototype.norm1 = function () {
    return Point.prototype.norm1.call(this) + Math.abs(this.z);
};
var p3 = new Point3(1, 2, -3);
assertEq(p3.norm1(), 6);
assertEq(p3.sum(), 3, "method two levels up");
assert(p3 instanceof Point3 && p3 instanceof Point);
assert(Object.getPrototypeOf(Object.getPrototypeOf(p3)) === Point.prototype);

// A constructor's returned object replaces this; a primitive is ignored.
function Factory() { this.a = 1; return { b: 2 }; }
function Prim() { this.a = 1; return 5; }
var fo = new Factory();
assertEq(fo.a, undefined);
assertEq(fo.b, 2);
assertEq(new Prim().a, 1);
function NoArgs() { this.v = "n"; }
assertEq(new NoArgs().v, "n", "new without parentheses for arguments");
assertEq((new NoArgs).v, "n");

// this depends on the call: method, plain call (undefined in strict mode).
var obj = {
    name: "obj",
    who: function () { return this === undefined ? "undefined" : this.name; }
};
assertEq(obj.who(), "obj");
assertEq(obj["who"](), "obj");
var detached = obj.who;
assertEq(detached(), "undefined");
var other = { name: "other", who: obj.who };
assertEq(other.who(), "other");
obj.nested = function () {
    function helper() { return this; }
    return helper();
};
assertEq(obj.nested(), undefined, "inner function does not inherit this");

// Object.create.
var base = { greet: function () { return "hi " + this.n; } };
var derived = Object.create(base);
derived.n = "d";
assertEq(derived.greet(), "hi d");
assert(Object.getPrototypeOf(derived) === base);
var bare = Object.create(null);
assertEq(Object.getPrototypeOf(bare), null);
assert(!("toString" in bare));
bare.k = 1;
assertEq(bare.k, 1);
assertThrows(TypeError, function () { Object.create(5); });

// Calling a non-constructor value with new, or calling a non-function.
assertThrows(TypeError, function () { return new pt.x(); });
assertThrows(TypeError, function () { pt.missing(); });
assertThrows(TypeError, function () { return undefined.x; });
assertThrows(TypeError, function () { return null.x; });

print(pt.norm1(), p3.norm1(), p3.sum(), fo.b, detached(), derived.greet());
print("ok this_new_prototypes");

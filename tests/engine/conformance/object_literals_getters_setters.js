// Object literals (identifier, string, number and reserved-word keys,
// nesting, trailing comma), getters and setters in literals and through
// Object.defineProperty, property attributes and Object.keys.

var o = {
    a: 1,
    "b c": 2,
    3: "three",
    0x10: "hex",
    1.5: "float",
    "": "empty",
    if: "kw",
    nested: { deep: { deeper: "yes" } },
    list: [1, 2],
};
assertEq(o.a, 1);
assertEq(o["b c"], 2);
assertEq(o[3], "three");
assertEq(o["3"], "three");
assertEq(o[16], "hex");
assertEq(o["1.5"], "float");
assertEq(o[""], "empty");
assertEq(o.if, "kw");
assertEq(o.nested.deep.deeper, "yes");
assertEq(o.list[1], 2);
assertEq(o.missing, undefined);
assertEq(Object.keys({}).length, 0);

// Adding, overwriting and computed access.
o.added = "new";
o["a"] = 10;
var k = "dyn";
o[k + "amic"] = true;
assertEq(o.added + o.a + o.dynamic, "new10true");
o[1 + 1] = "two";
assertEq(o["2"], "two");

// Getters and setters in a literal.
var temp = {
    celsius: 20,
    get fahrenheit() { return this.celsius * 9 / 5 + 32; },
    set fahrenheit(f) { this.celsius = (f - 32) * 5 / 9; }
};
assertEq(temp.fahrenheit, 68);
temp.fahrenheit = 212;
assertEq(temp.celsius, 100);
var log = [];
var acc = {
    get only() { log.push("get"); return 1; },
    set write(v) { log.push("set" + v); }
};
assertEq(acc.only + acc.only, 2);
acc.write = 7;
assertEq(acc.write, undefined, "setter without getter reads undefined");
assertEq(log.join(","), "get,get,set7");
assertThrows(TypeError, function () { acc.only = 2; }, "getter without setter, strict mode");

// Accessors are inherited and run with the receiver as this.
var child = Object.create(temp);
child.celsius = 0;
assertEq(child.fahrenheit, 32);
child.fahrenheit = 50;
assertEq(child.celsius, 10);
assertEq(temp.celsius, 100, "the setter wrote to the receiver");

// Object.defineProperty: value, writable, enumerable, configurable, get/set.
var d = {};
Object.defineProperty(d, "ro", { value: 5, writable: false, enumerable: true, configurable: false });
assertEq(d.ro, 5);
assertThrows(TypeError, function () { d.ro = 6; }, "read-only in strict mode");
assertEq(d.ro, 5);
Object.defineProperty(d, "hidden", { value: "h", writable: true });
assertEq(d.hidden, "h");
assertEq(Object.keys(d).join(), "ro", "defineProperty defaults to non-enumerable");
d.hidden = "changed";
assertEq(d.hidden, "changed");
var backing = 0;
Object.defineProperty(d, "acc", {
    get: function () { return backing * 2; },
    set: function (v) { backing = v; },
    enumerable: true
});
d.acc = 21;
assertEq(d.acc, 42);
assertEq(Object.keys(d).join(), "ro,acc");
assertThrows(TypeError, function () {
    Object.defineProperty(d, "ro", { value: 7 });
}, "redefining a non-configurable property");
assertEq(Object.defineProperty(d, "x", { value: 1 }), d, "returns the object");

// Property order of Object.keys: integer keys ascending, then insertion order.
var order = { z: 1, 10: 1, a: 1, 2: 1, m: 1 };
assertEq(Object.keys(order).join(), "2,10,z,a,m");

print(o.a, o[16], o["1.5"], temp.celsius, child.fahrenheit, d.acc, Object.keys(order).join(" "));
print("ok object_literals_getters_setters");

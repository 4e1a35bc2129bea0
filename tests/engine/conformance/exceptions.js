// try/catch/finally: execution order, finally overriding return and
// throw, finally on break/continue, nesting and rethrow, catch scoping,
// non-Error throw values, the built-in error types with name/message,
// errors thrown by the engine, and error stacks naming functions and lines.

var log = [];
function order(doThrow) {
    log = [];
    try {
        log.push("try");
        if (doThrow) throw new Error("e");
        log.push("after");
    } catch (e) {
        log.push("catch " + e.message);
    } finally {
        log.push("finally");
    }
    log.push("end");
    return log.join(",");
}
assertEq(order(false), "try,after,finally,end");
assertEq(order(true), "try,catch e,finally,end");

// finally runs on return, and its own return overrides.
function retOrder() {
    try { log.push("t"); return "try"; } finally { log.push("f"); }
}
log = [];
assertEq(retOrder(), "try");
assertEq(log.join(""), "tf");
function override() {
    try { return "try"; } finally { return "finally"; }
}
assertEq(override(), "finally");
function swallow() {
    try { throw new Error("lost"); } finally { return "kept"; }
}
assertEq(swallow(), "kept");
function replace() {
    try { throw new Error("first"); } finally { throw new Error("second"); }
}
assertEq(assertThrows(Error, replace).message, "second");
function retValueFixed() {
    var x = 1;
    try { return x; } finally { x = 2; }
}
assertEq(retValueFixed(), 1, "return value computed before finally");

// finally on break and continue.
log = [];
for (var i = 0; i < 3; i++) {
    try {
        if (i === 0) continue;
        if (i === 2) break;
        log.push("body" + i);
    } finally {
        log.push("fin" + i);
    }
}
assertEq(log.join(","), "fin0,body1,fin1,fin2");

// Nesting and rethrow.
function nested() {
    var r = [];
    try {
        try {
            throw new TypeError("inner");
        } catch (e) {
            r.push("c1:" + e.message);
            throw e;
        } finally {
            r.push("f1");
        }
    } catch (e2) {
        r.push("c2:" + (e2 instanceof TypeError));
    } finally {
        r.push("f2");
    }
    return r.join(" ");
}
assertEq(nested(), "c1:inner f1 c2:true f2");

// Exceptions unwind through several frames.
function depth(n) { if (n === 0) throw new RangeError("bottom"); return depth(n - 1) + 1; }
assertEq(assertThrows(RangeError, function () { depth(50); }).message, "bottom");

// The catch parameter is scoped to the catch block.
var e = "outer";
try { throw "inner"; } catch (e) { assertEq(e, "inner"); }
assertEq(e, "outer");

// Any value can be thrown.
var thrown = [];
var values = [42, "str", null, undefined, { code: 7 }];
for (i = 0; i < values.length; i++) {
    try { throw values[i]; } catch (x) { thrown.push(x); }
}
assertEq(thrown[0], 42);
assertEq(thrown[1], "str");
assertEq(thrown[2], null);
assertEq(thrown[3], undefined);
assertEq(thrown[4].code, 7);

// Built-in error types.
var types = [Error, TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];
var names = [];
for (i = 0; i < types.length; i++) {
    var err = new types[i]("m" + i);
    assert(err instanceof types[i] && err instanceof Error);
    assertEq(err.message, "m" + i);
    assertEq("" + err, err.name + ": m" + i);
    names.push(err.name);
}
assertEq(names.join(), "Error,TypeError,RangeError,ReferenceError,SyntaxError,EvalError,URIError");
assertEq(new Error().message, "");
assertEq("" + new Error(), "Error");
assertEq(Error("no new").message, "no new", "callable without new");
assert(!(new TypeError("x") instanceof RangeError));
assert(Object.getPrototypeOf(TypeError.prototype) === Error.prototype);

// Errors raised by the engine itself.
assertThrows(TypeError, function () { var u; u.prop; });
assertThrows(TypeError, function () { var n = 1; n(); });
assertThrows(ReferenceError, function () { return undefinedName + 1; });

// Stacks are strings that name the function and the file:line (the
// line of the throw below is checked literally: keep them in step).
function namedThrower() {
    throw new Error("with stack");
}
var caught = assertThrows(Error, namedThrower);
assertEq(typeof caught.stack, "string");
assert(caught.stack.indexOf("namedThrower") >= 0, "function name in stack");
assert(caught.stack.indexOf("exceptions.js:129") >= 0, "file:line in stack: " + caught.stack);
function engineThrower() { var o = null; return o.field; }
caught = assertThrows(TypeError, engineThrower);
assert(caught.stack.indexOf("engineThrower") >= 0, "engine errors have a stack too");

// A user constructor inheriting from Error.
function MyError(msg) { this.message = msg; }
MyError.prototype = Object.create(Error.prototype);
MyError.prototype.name = "MyError";
caught = assertThrows(MyError, function () { throw new MyError("custom"); });
assert(caught instanceof Error);
assertEq("" + caught, "MyError: custom");

print(order(true), override(), swallow(), nested());
print(names.join(" "), "" + new RangeError("r"), caught.message);
print("ok exceptions");

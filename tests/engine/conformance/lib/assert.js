// Assert helpers for the ujs conformance suite. Loaded before every
// conformance file (`ujs lib/assert.js FILE`), so everything here is a
// top-level function declaration. Uses only the minimal built-ins of
// issue 3 (no JSON, no String(), no Array.isArray) so that a failure
// points at the feature under test, not at the helper.

// Readable form of a value for failure messages; distinguishes -0,
// strings from numbers, and shows array contents.
function assertFormat(v) {
    var t = typeof v;
    var s, i;
    if (t === "string")
        return '"' + v + '"';
    if (t === "number" && v === 0 && 1 / v < 0)
        return "-0";
    if (v === null || t !== "object")
        return "" + v;
    if (v instanceof Array) {
        s = "[";
        for (i = 0; i < v.length; i++)
            s += (i ? ", " : "") + assertFormat(v[i]);
        return s + "]";
    }
    return "[object]";
}

// SameValue: like === but NaN equals NaN and +0 differs from -0.
function assertSame(a, b) {
    if (a !== a)
        return b !== b;
    if (a === 0 && b === 0)
        return 1 / a === 1 / b;
    return a === b;
}

function assert(cond, msg) {
    if (!cond)
        throw new Error("assert failed" + (msg ? ": " + msg : ""));
}

// Compares with SameValue; arrays are compared element by element
// (one level deep is enough for the suite).
function assertEq(actual, expected, msg) {
    var ok, i;
    if (actual instanceof Array && expected instanceof Array) {
        ok = actual.length === expected.length;
        for (i = 0; ok && i < actual.length; i++)
            ok = assertSame(actual[i], expected[i]);
    } else {
        ok = assertSame(actual, expected);
    }
    if (!ok)
        throw new Error("assertEq failed" + (msg ? " (" + msg + ")" : "") +
                        ": got " + assertFormat(actual) + ", expected " +
                        assertFormat(expected));
}

// fn must throw an instance of ErrorCtor; returns the exception.
function assertThrows(ErrorCtor, fn, msg) {
    var name = ErrorCtor.prototype.name;
    var where = msg ? " (" + msg + ")" : "";
    try {
        fn();
    } catch (e) {
        if (!(e instanceof ErrorCtor))
            throw new Error("assertThrows failed" + where + ": expected " + name +
                            ", got " + (e instanceof Error ? e.name + ": " + e.message
                                                           : assertFormat(e)));
        return e;
    }
    throw new Error("assertThrows failed" + where + ": expected " + name +
                    ", nothing thrown");
}

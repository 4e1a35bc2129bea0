// try/catch/finally (break and return through finally), for-in, for-of,
// switch, getters and setters, wide strings.
function f(x) {
    var log = [];
    for (var i = 0; i < 3; i++) {
        try {
            if (i === x) return log.join("") + "r" + i;
            if (i === 1) throw new RangeError("one");
        } catch (e) {
            log.push(e.name);
        } finally {
            log.push("f" + i);
            if (i === 2) break;
        }
    }
    return log.join(",");
}
print(f(0), f(2), f(9));
var o = { a: 1, b: 2, get c() { return this.a + this.b; }, set d(v) { this.a = v; } };
o.d = 10;
var keys = [];
for (var k in o) keys.push(k);
print(keys.join(" "), o.c);
var s = 0;
for (var v of [1, 2, 3, 4]) s += v;
for (var ch of "h\u00e9\u2603") s += ch.charCodeAt(0);
print(s, "snow \u2603 caf\u00e9".length);
function sw(x) {
    switch (x) {
    case 1: return "one";
    case "2": return "two";
    default: return "other";
    }
}
print(sw(1), sw("2"), sw(3));

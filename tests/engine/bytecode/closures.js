// Closures, captured arguments and locals, named function expressions.
function counter(start) {
    var n = start;
    return { inc: function () { return ++n; }, get: function () { return n; } };
}
var c = counter(40);
c.inc();
c.inc();
print(c.get());
function adders(k) {
    var fs = [];
    for (var i = 0; i < 3; i++) fs.push(function (x) { return x + k; });
    return fs;
}
var fs = adders(5), out = [];
for (var j = 0; j < fs.length; j++) out.push(fs[j](j));
print(out.join(","));
var fact = function f(n) { return n <= 1 ? 1 : n * f(n - 1); };
print(fact(10), typeof f);
function args() { return arguments.length + ":" + arguments[0] + "-" + arguments[1] + "-" + arguments[2]; }
print(args(1, "a", true));

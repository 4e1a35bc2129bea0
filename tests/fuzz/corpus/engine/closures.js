function mk() { var c = 0; return function () { return ++c; }; }
var f = mk(); f(); f();
var o = {a: 1, get b() { return this.a; }};
for (var k in o) o[k];
for (var v of [1, 2, 3]) v;
try { null.x; } catch (e) { e.message; } finally { 1; }
switch (f()) { case 3: break; default: 0; }

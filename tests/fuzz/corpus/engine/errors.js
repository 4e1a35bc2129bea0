function thrower(n) { if (n == 0) throw new RangeError("deep"); return thrower(n - 1); }
try { thrower(20); } catch (e) { e.stack; }
function P(x) { this.x = x; } P.prototype.m = function () { return this.x; };
new P(3).m() instanceof Object;
var e = new TypeError("t"); String(e);

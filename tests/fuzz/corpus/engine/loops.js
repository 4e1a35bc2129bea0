var s = 0;
for (var i = 0; i < 1000; i++) { s += i * 2 % 7; if (s > 1e6) break; }
var a = []; while (a.length < 50) a.push(a.length + "x");
a.join(",").slice(3, 9).indexOf("x");
var u = new Uint8Array(16); for (var j = 0; j < 16; j++) u[j] = j * 31;
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); } fib(12);

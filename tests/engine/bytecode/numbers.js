// Integer constants beyond 31 bits are small integers on 64-bit targets and
// boxed numbers on 32-bit ones: the file stores them as doubles.
var big = 1099511627776; // 2^40
var edge = 1073741824; // 2^30: just outside the 32-bit small-integer range
var neg = -1073741825;
print(big, big + 1, big * 2, edge, edge - 1, neg, -0, 1 / -0, 0.1 + 0.2, 1e300 * 10);
print(edge | 0, (big + 5) % 7, 2 ** 53, 4294967295 >>> 0, -2147483648 >> 31);
var sum = 0;
for (var i = 0; i < 100; i++) sum += edge;
print(sum, sum === 107374182400);

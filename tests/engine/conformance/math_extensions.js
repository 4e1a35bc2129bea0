// The Math functions stricter mode adds from ES2015: imul, clz32,
// fround, trunc, log2, log10.

assertEq(Math.imul(3, 4), 12);
assertEq(Math.imul(-5, 12), -60);
assertEq(Math.imul(0xffffffff, 5), -5);
assertEq(Math.imul(0x7fffffff, 0x7fffffff), 1);
assertEq(Math.imul(0x12345678, 0x9abcdef), -498937336);
assertEq(Math.imul(2.9, 3.9), 6, "operands truncated to int32");
assertEq(Math.imul(65536, 65536), 0);

assertEq(Math.clz32(1), 31);
assertEq(Math.clz32(0), 32);
assertEq(Math.clz32(-1), 0);
assertEq(Math.clz32(0x80000000), 0);
assertEq(Math.clz32(0xffff), 16);
assertEq(Math.clz32(4294967296), 32, "ToUint32 wraps");
assertEq(Math.clz32(3.9), 30);

assertEq(Math.fround(5.5), 5.5);
assertEq(Math.fround(5.05), 5.050000190734863);
assertEq(Math.fround(0.1), 0.10000000149011612);
assertEq(Math.fround(1e40), Infinity);
assertEq(Math.fround(-0), -0);
assertEq(Math.fround(NaN), NaN);
assertEq(Math.fround(16777217), 16777216);

assertEq(Math.trunc(4.7), 4);
assertEq(Math.trunc(-4.7), -4);
assertEq(Math.trunc(-0.5), -0);
assertEq(Math.trunc(1e21 + 0.5), 1e21);
assertEq(Math.trunc(NaN), NaN);
assertEq(Math.trunc(-Infinity), -Infinity);

assertEq(Math.log2(8), 3);
assertEq(Math.log2(1024), 10);
assertEq(Math.log2(1), 0);
assertEq(Math.log2(0.5), -1);
assertEq(Math.log2(0), -Infinity);
assertEq(Math.log2(-1), NaN);
assertEq(Math.log10(1000), 3);
assertEq(Math.log10(1e-5), -5);
assertEq(Math.log10(1), 0);
assertEq(Math.log10(0), -Infinity);
assertEq(Math.log10(-2), NaN);

print(Math.imul(0xffffffff, 5), Math.clz32(1), Math.fround(5.05), Math.trunc(-4.7));
print(Math.log2(1024), Math.log10(1000), Math.imul(0x12345678, 0x9abcdef));
print("ok math_extensions");

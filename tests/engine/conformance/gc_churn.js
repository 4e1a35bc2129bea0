// Allocation under pressure: long-lived structures (a linked list, a
// growing array, an object with many properties, closures, byte arrays)
// must keep their contents while lots of garbage is allocated between
// their updates. Meant to be run with --memory-limit and in the GC-stress
// build too, where every allocation moves every object.

function garbage(i) {
    var t = [i, "g" + i, { k: i }];
    return t[1].length + t.length;
}

// Linked list built with garbage between the nodes.
var head = null, i, junk = 0;
for (i = 0; i < 500; i++) {
    junk += garbage(i);
    head = { v: i, s: "n" + i, next: head };
}
var sum = 0, count = 0, n, okStrings = true;
for (n = head; n; n = n.next) {
    sum += n.v;
    if (n.s !== "n" + n.v) okStrings = false;
    count++;
}
assertEq(count, 500);
assertEq(sum, 124750);
assert(okStrings, "strings survived");

// Array growth by push.
var arr = [];
for (i = 0; i < 3000; i++) {
    arr.push(i * 3);
    if (i % 7 === 0) junk += garbage(i);
}
var bad = -1;
for (i = 0; i < arr.length; i++)
    if (arr[i] !== i * 3) { bad = i; break; }
assertEq(bad, -1);

// An object whose property table grows, then shrinks.
var bag = {};
for (i = 0; i < 200; i++) {
    bag["p" + i] = i;
    junk += garbage(i);
}
for (i = 0; i < 200; i += 2)
    delete bag["p" + i];
var keys = Object.keys(bag);
assertEq(keys.length, 100);
assertEq(keys[0] + keys[99], "p1p199");
assertEq(bag.p151, 151);
assertEq(bag.p150, undefined);

// Closures keep their captured environments.
var fns = [];
for (i = 0; i < 100; i++) {
    fns.push((function (k, tag) { return function () { return tag + k; }; })(i, "f"));
    junk += garbage(i);
}
var all = "";
for (i = 0; i < fns.length; i += 25)
    all += fns[i]() + ";";
assertEq(all, "f0;f25;f50;f75;");

// Byte arrays keep their bytes.
var bufs = [];
for (i = 0; i < 50; i++) {
    var b = new Uint8Array(64);
    b[0] = i;
    b[63] = 255 - i;
    bufs.push(b);
    junk += garbage(i);
}
var bytesOk = true;
for (i = 0; i < bufs.length; i++)
    if (bufs[i][0] !== i || bufs[i][63] !== 255 - i || bufs[i].length !== 64) bytesOk = false;
assert(bytesOk, "byte arrays survived");

// Strings built by repeated concatenation.
var s = "";
for (i = 0; i < 300; i++)
    s += String.fromCharCode(65 + i % 26);
assertEq(s.length, 300);
assertEq(s.slice(0, 5) + s.slice(-3), "ABCDELMN");

// Garbage from exceptions.
var caught = 0;
for (i = 0; i < 100; i++) {
    try { throw new Error("e" + i); } catch (e) { if (e.message === "e" + i) caught++; }
}
assertEq(caught, 100);

print(count, sum, arr.length, arr[2999], keys.length, all, s.slice(0, 5), junk);
print("ok gc_churn");

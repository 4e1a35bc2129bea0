// Equality (== != === !==) and relational (< > <= >=) operators over
// every pair of primitive kinds: the abstract-equality table for null,
// undefined, NaN, numbers, strings, booleans and objects, string
// comparison by code units, and ToPrimitive on objects.

var values = [undefined, null, true, false, 0, -0, 1, NaN, "", "0", "1", "a", Infinity];
var names = ["undefined", "null", "true", "false", "0", "-0", "1", "NaN", "''", "'0'", "'1'", "'a'", "Inf"];

// Expected == results: for each i, the indexes j > i with values[i] == values[j].
var looseEqual = {
    0: [1], 2: [6, 10], 3: [4, 5, 8, 9], 4: [5, 8, 9], 5: [8, 9], 6: [10], 8: [], 9: []
};
var i, j, k, expect, row;
for (i = 0; i < values.length; i++) {
    for (j = 0; j < values.length; j++) {
        // SameValue except NaN, and +0 === -0.
        expect = i === j ? i !== 7 : (i === 4 && j === 5) || (i === 5 && j === 4);
        assertEq(values[i] === values[j], expect, names[i] + " === " + names[j]);
        assertEq(values[i] !== values[j], !expect, names[i] + " !== " + names[j]);
        row = looseEqual[i < j ? i : j];
        expect = i === j ? i !== 7 : false;
        if (row)
            for (k = 0; k < row.length; k++)
                if (row[k] === (i < j ? j : i))
                    expect = true;
        assertEq(values[i] == values[j], expect, names[i] + " == " + names[j]);
        assertEq(values[i] != values[j], !expect, names[i] + " != " + names[j]);
    }
}

// Print the == table so the differential run compares it too.
for (i = 0; i < values.length; i++) {
    row = "";
    for (j = 0; j < values.length; j++)
        row += values[i] == values[j] ? "1" : ".";
    print(row, names[i]);
}

// Objects compare by identity; against primitives via ToPrimitive.
var o = {}, p = {};
assert(o === o && o == o);
assert(o !== p && o != p);
assert(!(o == null) && !(o == undefined));
var seven = { valueOf: function () { return 7; } };
assert(seven == 7);
assert(seven == "7");
assert(seven !== 7);
var named = { toString: function () { return "x"; } };
assert(named == "x");
assert([1, 2] == "1,2");
assert([] == "");
assert([0] == false);

// Relational operators.
assert(1 < 2 && 2 > 1 && 2 <= 2 && 2 >= 2);
assert(!(2 < 2) && !(2 > 2));
assert("a" < "b" && "B" < "a", "code unit order");
assert("abc" < "abd" && "ab" < "abc" && !("abc" < "ab"));
assert("" < "a");
assert("10" < "9", "string comparison");
assert(10 > "9", "numeric when one side is a number");
assert("10" > 9);
assert(-Infinity < -1e308 && 1e308 < Infinity);
assert(-0 <= 0 && 0 >= -0 && !(-0 < 0));
assert(null >= 0 && null <= 0 && !(null > 0) && !(null == 0));
assert(!(undefined >= 0) && !(undefined <= 0));
assert(true > false && true >= 1);
assert(seven > 6 && seven < 8);
assert("\uD83D\uDE00" > "\uFFFF" === false, "UTF-16 code units, not code points");
var nan = NaN;
assert(!(nan < 1) && !(nan > 1) && !(nan <= nan) && !(nan >= nan));
assert(!(1 < "x") && !(1 >= "x"));

print("10" < "9", 10 > "9", null >= 0, null == 0, undefined == null, NaN == NaN);
print("ok operators_compare_equality");

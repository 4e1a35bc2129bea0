// Logical operators (&& || !) return an operand and short-circuit; the
// conditional operator nests right to left; the comma operator evaluates
// left to right and yields its last operand.

var log = [];
function t(name, v) { log.push(name); return v; }

assertEq(1 && 2, 2);
assertEq(0 && 2, 0);
assertEq("" || "d", "d");
assertEq("a" || "d", "a");
assertEq(null || undefined, undefined);
assertEq(NaN && 1, NaN);
assertEq(null && null.x, null, "right side not evaluated");
assertEq(!0, true);
assertEq(!"", true);
assertEq(!"0", false);
assertEq(!NaN, true);
assertEq(!{}, false);
assertEq(![], false);
assertEq(!!-0, false);
assertEq(!!"false", true);
assertEq(!null && !undefined, true);

log = [];
assertEq(t("a", 0) && t("b", 1), 0);
assertEq(t("c", 1) || t("d", 1), 1);
assertEq(t("e", 1) && t("f", 0) || t("g", 2), 2);
assertEq(log.join(""), "acefg");

// && binds tighter than ||.
assertEq(true || false && false, true);
assertEq((true || false) && false, false);

// Conditional.
function sign(x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
assertEq(sign(5), 1);
assertEq(sign(-5), -1);
assertEq(sign(0), 0);
assertEq(true ? false ? 1 : 2 : 3, 2);
log = [];
assertEq(t("c", 0) ? t("y", 1) : t("n", 2), 2);
assertEq(log.join(""), "cn", "only one branch evaluated");
var x = 1;
var y = x ? x = 5 : 0;
assertEq(y, 5);
assertEq(x, 5);

// Comma.
log = [];
var z = (t("1", 1), t("2", 2), t("3", 3));
assertEq(z, 3);
assertEq(log.join(""), "123");
var i, j, s = "";
for (i = 0, j = 10; i < j; i += 3, j -= 3)
    s += i + ":" + j + " ";
assertEq(s, "0:10 3:7 ");
assertEq((1, 2) + (3, 4), 6);

print(1 && 2, 0 || "x", !"", sign(-3), (1, 2, 3), s);
print("ok operators_logical_conditional_comma");

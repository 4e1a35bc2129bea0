// String building by concatenation: ROUNDS times, build a ~390-character
// string from small pieces and numbers, then check its length and scan
// it with charCodeAt.
var ROUNDS = 12000;

function build(r) {
    var s = "", i;
    for (i = 0; i < 100; i++)
        s += String.fromCharCode(97 + (i + r) % 26) + i + ",";
    return s;
}

function scan(s) {
    var h = 0, i;
    for (i = 0; i < s.length; i++)
        h = (h * 31 + s.charCodeAt(i)) | 0;
    return h;
}

var total = 0, h = 0, r, s;
for (r = 0; r < ROUNDS; r++) {
    s = build(r);
    total += s.length;
    h = (h + scan(s)) | 0;
}
print(total, h, s.slice(0, 12));

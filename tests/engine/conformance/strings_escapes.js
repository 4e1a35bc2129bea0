// String literals: every escape sequence (single-character, \0, \xHH,
// \uHHHH, \u{...} including astral code points as surrogate pairs),
// non-escape characters, line continuations, quotes, and UTF-8 source text.

function codes(s) {
    var r = [], i;
    for (i = 0; i < s.length; i++)
        r.push(s.charCodeAt(i));
    return r;
}

assertEq(codes("\n\t\r\b\f\v"), [10, 9, 13, 8, 12, 11]);
assertEq(codes("\0"), [0]);
assertEq(codes("a\0b"), [97, 0, 98]);
assertEq(codes("\'\"\\"), [39, 34, 92]);
assertEq('it\'s', "it's");
assertEq("say \"hi\"", 'say "hi"');
assertEq('"', "\"");

// Non-escape characters stand for themselves.
assertEq("\q\a\z\%", "qaz%");

// \x and \u.
assertEq("\x41\x62\x7e", "Ab~");
assertEq(codes("\x00\xff\xFF"), [0, 255, 255]);
assertEq("\u0041\u00e9", "A\xe9");
assertEq(codes("\uFFFF\u1234"), [65535, 4660]);
assertEq("\u{41}\u{0000000042}", "AB");
assertEq(codes("\u{FFFF}"), [65535]);
assertEq(codes("\u{10000}"), [0xD800, 0xDC00]);
assertEq(codes("\u{1F600}"), [0xD83D, 0xDE00]);
assertEq(codes("\u{10FFFF}"), [0xDBFF, 0xDFFF]);
assertEq("\u{1F600}", "\uD83D\uDE00");
assertEq("\u{1F600}".length, 2);

// Line continuation: backslash-newline contributes nothing.
var cont = "ab\
cd";
assertEq(cont, "abcd");
assertEq('x\
\
y', "xy");

// UTF-8 in the source is decoded to UTF-16 code units.
assertEq("é".length, 1);
assertEq("é".charCodeAt(0), 0xE9);
assertEq("€".charCodeAt(0), 0x20AC);
assertEq("😀".length, 2);
assertEq("😀", "\u{1F600}");

// Empty and long strings.
assertEq("".length, 0);
assertEq(''.length, 0);

print("tab[\t]", "quote[\"]", "backslash[\\]");
print("\u{48}\x65\u006c\u{006C}o", "caf\u00e9", "\u{1F600}".length);
print(codes("\0\b\v\f").join(" "), cont);
print("ok strings_escapes");

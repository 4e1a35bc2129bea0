#!/usr/bin/env python3
"""Byte-level edits of .mbpf packages for the CLI tests.

  pkgedit.py section PKG TYPE          print "OFFSET LENGTH" of the first section of TYPE
  pkgedit.py flip PKG OFFSET           xor the byte at OFFSET with 0x01
  pkgedit.py manifest-byte PKG I VAL   set byte I of the MANIFEST section to VAL and
                                       recompute that section's CRC and the file CRC,
                                       so only the manifest itself is wrong
  pkgedit.py extract PKG TYPE OUT      write the data of the first section of TYPE to OUT
  pkgedit.py add PKG TYPE DATA OUT     write OUT: the unsigned PKG's sections plus one of
                                       TYPE holding the bytes of file DATA, laid out
                                       as the container writer does
"""
import struct
import sys
import zlib


def parse(data):
    magic, ver, hsize, flags, count, fcrc = struct.unpack_from("<IHHIII", data, 0)
    secs = [list(struct.unpack_from("<IIII", data, 20 + 16 * i)) for i in range(count)]
    return secs


def find(secs, t):
    for i, s in enumerate(secs):
        if s[0] == t:
            return i, s
    sys.exit("pkgedit: no section of type %d" % t)


def main():
    cmd, path = sys.argv[1], sys.argv[2]
    data = bytearray(open(path, "rb").read())
    secs = parse(data)
    if cmd == "section":
        _, s = find(secs, int(sys.argv[3]))
        print(s[1], s[2])
    elif cmd == "extract":
        _, s = find(secs, int(sys.argv[3]))
        open(sys.argv[4], "wb").write(data[s[1]:s[1] + s[2]])
    elif cmd == "flip":
        data[int(sys.argv[3])] ^= 1
        open(path, "wb").write(data)
    elif cmd == "manifest-byte":
        i, s = find(secs, 1)
        data[s[1] + int(sys.argv[3])] = int(sys.argv[4], 0)
        if s[3]:
            crc = zlib.crc32(bytes(data[s[1]:s[1] + s[2]]))
            struct.pack_into("<I", data, 20 + 16 * i + 12, crc)
        end = len(data)
        for t in secs:
            if t[0] == 5:
                end = t[1]
        struct.pack_into("<I", data, 16, 0)
        struct.pack_into("<I", data, 16, zlib.crc32(bytes(data[:end])))
        open(path, "wb").write(data)
    elif cmd == "add":
        items = [(t[0], bytes(data[t[1]:t[1] + t[2]])) for t in secs if t[0] != 5]
        items.append((int(sys.argv[3]), open(sys.argv[4], "rb").read()))
        hsize = 20 + 16 * len(items)
        off = (hsize + 7) & ~7
        table, body = b"", b""
        for t, d in items:
            body += bytes(off - hsize - len(body))
            table += struct.pack("<IIII", t, off, len(d), zlib.crc32(d))
            body += d
            off = (hsize + len(body) + 7) & ~7
        flags = 2 if any(t == 4 for t, _ in items) else 0
        out = bytearray(struct.pack("<IHHIII", 0x4D425046, 1, hsize, flags, len(items), 0))
        out += table + body
        struct.pack_into("<I", out, 16, zlib.crc32(bytes(out)))
        open(sys.argv[5], "wb").write(out)
    else:
        sys.exit("pkgedit: unknown command " + cmd)


main()

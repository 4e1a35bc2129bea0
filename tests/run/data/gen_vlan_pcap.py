#!/usr/bin/env python3
"""Writes vlan.pcap, a tiny Ethernet capture for the run-input tests: plain,
802.1Q-tagged, QinQ, ARP, 802.3/LLC and truncated frames. Standard library
only; run it from this directory to regenerate the committed file."""
import struct

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4(proto, payload, src="10.0.0.1", dst="10.0.0.2"):
    s = bytes(int(x) for x in src.split("."))
    d = bytes(int(x) for x in dst.split("."))
    h = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, s, d)
    h = h[:10] + struct.pack("!H", csum(h)) + h[12:]
    return h + payload


def ipv6(nh, payload):
    src = bytes.fromhex("fd000000000000000000000000000001")
    dst = bytes.fromhex("fd000000000000000000000000000002")
    return struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) + src + dst + payload


def tcp(sport, dport, flags=0x02):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 5 << 4, flags, 65535, 0, 0)


def udp(sport, dport, data=b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"):
    return struct.pack("!HHHH", sport, dport, 8 + len(data), 0) + data


def eth(etype, payload, tags=()):
    hdr = MAC_B + MAC_A
    for tpid, vid in tags:
        hdr += struct.pack("!HH", tpid, vid)
    return hdr + struct.pack("!H", etype) + payload


ARP = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) + MAC_A + bytes([10, 0, 0, 1]) + bytes(6) + bytes([10, 0, 0, 2])

# (frame, caplen or None for all of it)
PACKETS = [
    (eth(0x0800, ipv4(6, tcp(1234, 80))), None),                     # 1 IPv4 TCP :80
    (eth(0x0800, ipv4(6, tcp(1234, 80)), [(0x8100, 100)]), None),    # 2 VLAN 100 IPv4 TCP :80
    (eth(0x86DD, ipv6(17, udp(5353, 53)), [(0x8100, 200)]), None),   # 3 VLAN 200 IPv6 UDP :53
    (eth(0x0806, ARP), None),                                        # 4 ARP
    (eth(0x0800, ipv4(17, udp(1, 53)), [(0x88A8, 10), (0x8100, 20)]), None),  # 5 QinQ
    (MAC_B + MAC_A + struct.pack("!H", 3 + 35) + b"\x42\x42\x03" + bytes(35), None),  # 6 802.3
    (eth(0x0800, ipv4(6, tcp(1, 80)), [(0x8100, 300)]), 16),         # 7 ends inside the tag
    (eth(0x0800, ipv4(6, tcp(1, 80))), 30),                          # 8 cut before the ports
]

with open("vlan.pcap", "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    for i, (frame, cap) in enumerate(PACKETS):
        cap = len(frame) if cap is None else cap
        f.write(struct.pack("<IIII", 1700000000 + i, 1000 * i, cap, len(frame)))
        f.write(frame[:cap])
    for i, (frame, cap) in enumerate(PACKETS):
        print(i + 1, cap if cap is not None else len(frame), len(frame))

// NET_RX filter: drops IPv4 packets by protocol, by source address prefix,
// or by TCP/UDP destination port, and counts its verdicts.
//
// The rules live in maps, so the kernel side can change them at run time
// (mbpf_program_map + mbpf_map_update); mbpf_init installs a default set.
// With the default rules the decision is the same as libpcap's classic-BPF
// filter
//   ip and ip[0] & 0xf0 = 0x40 and ip[0] & 0x0f >= 5 and (ip proto 1 or
//   src net 216.239.32.0/19 or ((tcp or udp) and dst port 53))
// on every packet, truncated ones included (tests/runtime/test_filter_oracle.c
// checks exactly that).
//
// Maps (prog.json):
//   blocked_protos  array of 256 flags, index = IP protocol number
//   blocked_nets    LPM trie, key = prefix length (u32 LE) + IPv4 address
//   blocked_ports   hash, key = port (2 bytes, network order), value = flag
//   verdicts        counter: [0] passed, [1] dropped
//
// The event path allocates nothing: every buffer is created once, at load.

var ETH_HLEN = 14;
var ETHERTYPE_IPV4 = 0x0800;
var IPPROTO_ICMP = 1;
var IPPROTO_TCP = 6;
var IPPROTO_UDP = 17;

var PASS = 0; // MBPF_NET_PASS
var DROP = 1; // MBPF_NET_DROP

var flag = new Uint8Array(1);
var netKey = new Uint8Array(8); // LPM key: prefix length (u32 LE), address
var portKey = new Uint8Array(2);

function verdict(v) {
    maps.verdicts.add(v === DROP ? 1 : 0, 1);
    return v;
}

function blockProto(proto) {
    flag[0] = 1;
    maps.blocked_protos.update(proto, flag);
}

function blockNet(a, b, c, d, len) {
    netKey[0] = len;
    netKey[1] = 0;
    netKey[2] = 0;
    netKey[3] = 0;
    netKey[4] = a;
    netKey[5] = b;
    netKey[6] = c;
    netKey[7] = d;
    flag[0] = 1;
    maps.blocked_nets.update(netKey, flag);
}

function blockPort(port) {
    portKey[0] = port >> 8;
    portKey[1] = port & 0xff;
    flag[0] = 1;
    maps.blocked_ports.update(portKey, flag);
}

// The default rules: no ICMP, nothing from 216.239.32.0/19, no DNS.
function mbpf_init() {
    blockProto(IPPROTO_ICMP);
    blockNet(216, 239, 32, 0, 19);
    blockPort(53);
}

// Each header field is read only once the packet is known to be long
// enough for it: a short (truncated) packet passes, as in classic BPF,
// where a load past the captured bytes rejects the packet.
function mbpf_prog(ctx) {
    var len = ctx.data_len;
    if (len < ETH_HLEN + 1 || ctx.readU16BE(12) !== ETHERTYPE_IPV4)
        return verdict(PASS);
    var versionIhl = ctx.readU8(ETH_HLEN);
    var ihl = (versionIhl & 0x0f) * 4;
    if ((versionIhl >> 4) !== 4 || ihl < 20)
        return verdict(PASS);

    if (len < ETH_HLEN + 10)
        return verdict(PASS);
    var proto = ctx.readU8(ETH_HLEN + 9);
    if (maps.blocked_protos.lookup(proto, flag) && flag[0] !== 0)
        return verdict(DROP);

    if (len < ETH_HLEN + 16)
        return verdict(PASS);
    netKey[0] = 32; // the source address as a /32
    netKey[1] = 0;
    netKey[2] = 0;
    netKey[3] = 0;
    netKey[4] = ctx.readU8(ETH_HLEN + 12);
    netKey[5] = ctx.readU8(ETH_HLEN + 13);
    netKey[6] = ctx.readU8(ETH_HLEN + 14);
    netKey[7] = ctx.readU8(ETH_HLEN + 15);
    if (maps.blocked_nets.lookup(netKey, flag) && flag[0] !== 0)
        return verdict(DROP);

    if (proto !== IPPROTO_TCP && proto !== IPPROTO_UDP)
        return verdict(PASS);
    // Only the first fragment carries the TCP/UDP header.
    if ((ctx.readU16BE(ETH_HLEN + 6) & 0x1fff) !== 0)
        return verdict(PASS);
    var l4 = ETH_HLEN + ihl;
    if (len < l4 + 4)
        return verdict(PASS);
    portKey[0] = ctx.readU8(l4 + 2); // destination port, network order
    portKey[1] = ctx.readU8(l4 + 3);
    if (maps.blocked_ports.lookup(portKey, flag) && flag[0] !== 0)
        return verdict(DROP);
    return verdict(PASS);
}

// NET_RX filter: drops IPv4/UDP packets whose destination port is listed in
// the blocked_ports map and counts passed and dropped packets in stats.
//
// Maps (prog.json):
//   blocked_ports  hash, key = UDP port (2 bytes, network order), value = 1 byte (nonzero: block)
//   stats          array of 2 u64 counters (little-endian): [0] passed, [1] dropped
//
// The event path allocates nothing: every buffer is created once, at load.

var ETH_HLEN = 14;
var ETHERTYPE_IPV4 = 0x0800;
var IPPROTO_UDP = 17;

var MBPF_NET_PASS = 0;
var MBPF_NET_DROP = 1;

var STAT_PASSED = 0;
var STAT_DROPPED = 1;

var portKey = new Uint8Array(2);
var blockFlag = new Uint8Array(1);
var counterBytes = new Uint8Array(8);
var counter = [0, 0]; // u64 as [lo, hi] (spec §10.5.1)

function bump(index) {
    if (maps.stats.lookup(index, counterBytes)) {
        mbpf.u64LoadLE(counterBytes, 0, counter);
    } else {
        counter[0] = 0;
        counter[1] = 0;
    }
    counter[0] = (counter[0] + 1) >>> 0;
    if (counter[0] === 0)
        counter[1] = (counter[1] + 1) >>> 0;
    mbpf.u64StoreLE(counterBytes, 0, counter);
    maps.stats.update(index, counterBytes);
}

function verdict(v) {
    bump(v === MBPF_NET_DROP ? STAT_DROPPED : STAT_PASSED);
    return v;
}

function mbpf_prog(ctx) {
    if (ctx.data_len < ETH_HLEN + 20)
        return verdict(MBPF_NET_PASS);
    var ethertype = (ctx.readU8(12) << 8) | ctx.readU8(13);
    if (ethertype !== ETHERTYPE_IPV4)
        return verdict(MBPF_NET_PASS);

    var versionIhl = ctx.readU8(ETH_HLEN);
    if ((versionIhl >> 4) !== 4)
        return verdict(MBPF_NET_PASS);
    var ihl = (versionIhl & 0x0f) * 4;
    if (ihl < 20 || ctx.readU8(ETH_HLEN + 9) !== IPPROTO_UDP)
        return verdict(MBPF_NET_PASS);
    // Only the first fragment carries the UDP header.
    var fragOffset = ((ctx.readU8(ETH_HLEN + 6) & 0x1f) << 8) | ctx.readU8(ETH_HLEN + 7);
    if (fragOffset !== 0)
        return verdict(MBPF_NET_PASS);

    var udp = ETH_HLEN + ihl;
    if (ctx.data_len < udp + 8)
        return verdict(MBPF_NET_PASS);
    portKey[0] = ctx.readU8(udp + 2); // destination port, network byte order
    portKey[1] = ctx.readU8(udp + 3);
    if (maps.blocked_ports.lookup(portKey, blockFlag) && blockFlag[0] !== 0)
        return verdict(MBPF_NET_DROP);
    return verdict(MBPF_NET_PASS);
}

// TIMER program: every tick, turns a counter that the kernel (or a NET
// program sharing the map) keeps adding to into a rate, and keeps the peak.
//
// The kernel adds to counter 0 of `sample` (mbpf_map_counter_add); each
// expiry reads it, computes events per second over the timer's period from
// the difference with the previous reading (nothing is lost to a reset
// race), stores the last rate and the peak, and logs when the rate exceeds
// a limit.
//
// Maps (prog.json):
//   sample  counter: [0] events, ever increasing
//   rates   array of 2 u64 LE: [0] last rate (per second), [1] peak rate
//   ticks   counter: [0] expiries handled

var LIMIT_PER_SEC = 1000;
var TWO_32 = 4294967296;

var buf = new Uint8Array(8);
var u64 = [0, 0];
var last = -1; // previous reading; -1 before the first tick
var peak = 0;

function store(index, v) {
    u64[0] = v % TWO_32;
    u64[1] = Math.floor(v / TWO_32);
    mbpf.u64StoreLE(buf, 0, u64);
    maps.rates.update(index, buf);
}

function mbpf_prog(ctx) {
    maps.ticks.add(0, 1);
    maps.sample.get(0, u64);
    var now = u64[1] * TWO_32 + u64[0];
    if (last < 0 || ctx.period_us === 0) {
        last = now;
        return 0;
    }
    var rate = Math.floor(((now - last) * 1000000) / ctx.period_us);
    last = now;
    store(0, rate);
    if (rate > peak) {
        peak = rate;
        store(1, peak);
    }
    if (rate > LIMIT_PER_SEC) mbpf.log(2, 'rate above limit');
    return 0;
}

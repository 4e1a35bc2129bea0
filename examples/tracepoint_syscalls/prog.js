// TRACEPOINT observer: counts events per task and emits a record for each
// task that crosses a threshold, once.
//
// Attach it to a tracepoint (e.g. syscall entry). The payload's first byte
// is the event's class (e.g. a syscall number's low byte); class 0 events
// are ignored.
//
// Maps (prog.json):
//   per_pid   LRU hash, key = pid (u32 LE), value = event count (u32 LE);
//             the least recently seen tasks are evicted when it is full
//   totals    counter: [0] events counted, [1] events ignored
//   events    ring buffer: records {eventId 1, pid u32 LE, count u32 LE}
// mbpf.emit writes to the first ring buffer map, `events`.

var THRESHOLD = 3;
var EVENT_HOT_TASK = 1;

var key = new Uint8Array(4);
var value = new Uint8Array(4);
var record = new Uint8Array(8);

function putU32(buf, off, v) {
    buf[off] = v & 0xff;
    buf[off + 1] = (v >>> 8) & 0xff;
    buf[off + 2] = (v >>> 16) & 0xff;
    buf[off + 3] = (v >>> 24) & 0xff;
}

function getU32(buf, off) {
    return (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16) | (buf[off + 3] << 24)) >>> 0;
}

function mbpf_prog(ctx) {
    if (ctx.data_len < 1 || ctx.readU8(0) === 0) {
        maps.totals.add(1, 1);
        return 0;
    }
    maps.totals.add(0, 1);
    putU32(key, 0, ctx.pid);
    var n = maps.per_pid.lookup(key, value) ? getU32(value, 0) + 1 : 1;
    putU32(value, 0, n);
    maps.per_pid.update(key, value);
    if (n === THRESHOLD) {
        putU32(record, 0, ctx.pid);
        putU32(record, 4, n);
        mbpf.emit(EVENT_HOT_TASK, record);
    }
    return 0;
}

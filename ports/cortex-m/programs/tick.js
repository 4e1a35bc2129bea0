// A timer program: counts its runs in a 64-bit counter map that the host
// also adds to and reads (the self-test runs it from SysTick).
function mbpf_prog(ctx) {
    maps.ticks.add(0, 1);
    return 0;
}

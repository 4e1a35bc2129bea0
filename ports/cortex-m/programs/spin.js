// Never returns: the step budget must stop it on every event.
var spins = 0;
function mbpf_prog(ctx) {
    for (;;) spins++;
}

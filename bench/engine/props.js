// Small-object property reads and writes: a handful of 4-field objects
// updated in a loop through named properties.
var ROUNDS = 1000000;

function Particle(x, y) {
    this.x = x;
    this.y = y;
    this.vx = 1;
    this.vy = -1;
}

function step(ps, rounds) {
    var r, i, p;
    for (r = 0; r < rounds; r++) {
        p = ps[r & 7];
        p.x = (p.x + p.vx) | 0;
        p.y = (p.y + p.vy) | 0;
        if (p.x > 1000 || p.x < 0) p.vx = -p.vx;
        if (p.y > 1000 || p.y < 0) p.vy = -p.vy;
    }
    var sum = 0;
    for (i = 0; i < ps.length; i++)
        sum += ps[i].x * 3 + ps[i].y + ps[i].vx + ps[i].vy;
    return sum;
}

var ps = [], i;
for (i = 0; i < 8; i++)
    ps.push(new Particle(i * 100, 1000 - i * 100));
var cfg = { total: 0 };
for (i = 0; i < 4; i++)
    cfg.total += step(ps, ROUNDS);
print(cfg.total);

/*
 * Ed25519 group operations for verification (RFC 8032 5.1), on the
 * twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2.
 *
 * Points live in extended coordinates (X:Y:Z:T) with the a = -1 formulas
 * of RFC 8032 5.1.4 (Hisil, Wong, Carter, Dawson 2008). A doubling or an
 * addition first yields four values E, F, G, H from which X = E*F,
 * Y = G*H, Z = F*G and T = E*H; only the products the next step needs are
 * computed (T is skipped before a doubling).
 *
 * [a]A + [b]B runs both scalars through one double-and-add loop (Straus)
 * over signed width-5 digits: at most one nonzero digit in any 5
 * consecutive positions, each odd and below 16 in magnitude, so the loop
 * adds only odd multiples 1A..15A (built per call) and 1B..15B (the
 * constant table below), about 2 x 253/6 additions plus 253 doublings.
 *
 * Variable time: the verifier only handles public data.
 */
#include "ge25519.h"

#include <string.h>

/* Projective (X:Y:Z), enough to double. */
typedef struct {
    mbpf_fe X, Y, Z;
} ge_p2;

/* The E, F, G, H of a doubling or addition, before the final products. */
typedef struct {
    mbpf_fe E, F, G, H;
} ge_efgh;

/* A point prepared as an addend: Y+X, Y-X, 2Z, 2dT. */
typedef struct {
    mbpf_fe YpX, YmX, Z2, T2d;
} ge_cached;

/* An affine addend (Z = 1): y+x, y-x, 2dxy. */
typedef struct {
    mbpf_fe ypx, ymx, xy2d;
} ge_affine;

/* d = -121665/121666, 2d and sqrt(-1) = 2^((p-1)/4), tight limbs. */
static const mbpf_fe fe_d = {0x35978a3, 0x0d37284, 0x3156ebd, 0x06a0a0e, 0x001c029,
                             0x179e898, 0x3a03cbb, 0x1ce7198, 0x2e2b6ff, 0x1480db3};
static const mbpf_fe fe_d2 = {0x2b2f159, 0x1a6e509, 0x22add7a, 0x0d4141d, 0x0038052,
                              0x0f3d130, 0x3407977, 0x19ce331, 0x1c56dff, 0x0901b67};
static const mbpf_fe fe_sqrtm1 = {0x20ea0b0, 0x186c9d2, 0x08f189d, 0x035697f, 0x0bd0c60,
                                  0x1fbd7a7, 0x2804c9e, 0x1e16569, 0x004fc1d, 0x0ae0c92};

/* [1]B, [3]B, ..., [15]B for the base point B (y = 4/5, x even), fully
 * reduced; computed with exact integer arithmetic and checked by the tests
 * against libsodium's [k]B. */
static const ge_affine base_odd[8] = {
    /* [1]B */ {{0x18c3b85, 0x124f1bd, 0x1c325f7, 0x037dc60, 0x33e4cb7, 0x03d42c2, 0x1a44c32,
                 0x14ca4e1, 0x3a33d4b, 0x01f3e74},
                {0x340913e, 0x00e4175, 0x3d673a2, 0x02e8a05, 0x3f4e67c, 0x08f8a09, 0x0c21a34,
                 0x04cf4b8, 0x1298f81, 0x113f4be},
                {0x37aaa68, 0x0448161, 0x093d579, 0x11e6556, 0x09b67a0, 0x143598c, 0x1bee5ee,
                 0x0b50b43, 0x289f0c6, 0x1bc45ed}},
    /* [3]B */
    {{0x0ee9730, 0x16c2a13, 0x17155e4, 0x1874432, 0x0096a10, 0x1016732, 0x1a8014f, 0x11e9823,
      0x1b9a80f, 0x1e85938},
     {0x0fcd265, 0x047fa29, 0x34faacc, 0x1ef2e0d, 0x0ef4d4f, 0x14bd6bd, 0x0f98d10, 0x14c5026,
      0x07555bd, 0x0aae456},
     {0x1d0d889, 0x1a4cfc3, 0x34c4295, 0x110e1ae, 0x162508c, 0x0f2db4c, 0x072a2c6, 0x098da2e,
      0x2f12b9b, 0x168a09a}},
    /* [5]B */
    {{0x0a5bb33, 0x0af1102, 0x1a05442, 0x01e3af7, 0x2354123, 0x0bfec44, 0x1f5862d, 0x0dd7ba3,
      0x3146e20, 0x0a51733},
     {0x047d6ba, 0x060b0e9, 0x136eff2, 0x08a5939, 0x3540053, 0x064a087, 0x2788e5c, 0x0be7c67,
      0x33eb1b5, 0x05529f9},
     {0x12a8285, 0x0f6fc60, 0x23f9797, 0x03e85ee, 0x09c3820, 0x1bda72d, 0x1b3858d, 0x0d35683,
      0x296b3bb, 0x10eaaf9}},
    /* [7]B */
    {{0x04ea3bf, 0x0973425, 0x01a4d63, 0x1d59cee, 0x1d1c0d4, 0x0542e49, 0x1294114, 0x04fce36,
      0x29283c9, 0x1186fa9},
     {0x23221b1, 0x1cb26aa, 0x074f74d, 0x099ddd1, 0x1b28085, 0x0192c3a, 0x13b27c9, 0x0fc13bd,
      0x1d2e531, 0x075bb75},
     {0x1b8b3a2, 0x0db7200, 0x0935e30, 0x03829f5, 0x2cc0d7d, 0x077adf3, 0x220dd2c, 0x014ea53,
      0x1c6a0f9, 0x1ea7eec}},
    /* [9]B */
    {{0x2a8632f, 0x199e2a9, 0x0d8b365, 0x17a8de2, 0x2994279, 0x086f5b5, 0x119e4e3, 0x1eb39d6,
      0x338add7, 0x0d2e7b4},
     {0x39d8064, 0x1885f80, 0x0337e6d, 0x1b7a902, 0x2628206, 0x15eb044, 0x1e30473, 0x191f2d9,
      0x11fadc9, 0x1270169},
     {0x045af1b, 0x13a2fe4, 0x245e0d6, 0x14538ce, 0x38bfe0f, 0x1d4cf16, 0x37e14c9, 0x160d55e,
      0x021b008, 0x1cf05c8}},
    /* [11]B */
    {{0x2802ade, 0x1c02122, 0x1c4e5f7, 0x0781181, 0x39767fb, 0x1703406, 0x342388b, 0x1f5e227,
      0x22546d8, 0x109d6ab},
     {0x1864348, 0x1d6c092, 0x070262b, 0x14bb844, 0x0fb5acd, 0x08deb95, 0x03aaab5, 0x0eff474,
      0x0029d5c, 0x062ad66},
     {0x16089e9, 0x0cb317f, 0x0949b05, 0x1099417, 0x00c7ad2, 0x11a8622, 0x088ccda, 0x1290886,
      0x22b53df, 0x0f71954}},
    /* [13]B */
    {{0x2007f6d, 0x03088a8, 0x3db77ee, 0x0d5ade6, 0x2fe12ce, 0x107ba07, 0x107097d, 0x0482a6f,
      0x2ec346f, 0x08d3f5f},
     {0x27fbf93, 0x1c04ecc, 0x1ed6a0d, 0x04cdbbb, 0x2bbf3af, 0x0ad5968, 0x1591955, 0x094f3a2,
      0x2d17602, 0x0099e20},
     {0x32ea378, 0x028465c, 0x28e2a6c, 0x18efc6e, 0x090df9a, 0x1a7e533, 0x39bfc48, 0x10c745d,
      0x3daa097, 0x125ee9b}},
    /* [15]B */
    {{0x3cfeaa0, 0x1b300c4, 0x08da499, 0x068c4e1, 0x219230a, 0x1f2d4d0, 0x2defd60, 0x0e565b7,
      0x17f12de, 0x18788a4},
     {0x28ccf0b, 0x0f36191, 0x21ac081, 0x12154c8, 0x34e0a6e, 0x1b25192, 0x0180403, 0x1d7eea1,
      0x0218d05, 0x10ed735},
     {0x3d0b516, 0x09d8be6, 0x3ddcbb3, 0x071b9fe, 0x3ace2bd, 0x1d64270, 0x32d3ec9, 0x1084065,
      0x210ae4d, 0x1447584}},
};

/* The canonical y-coordinates of the eight points of order 1, 2, 4 and 8:
 * 1; -1; 0 (both x); y8 and -y8 (both x each). */
static const uint8_t small_order_y[5][32] = {
    {1},
    {0xec, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
     0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f},
    {0},
    {0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4,
     0x89, 0xf2, 0xef, 0x98, 0xf0, 0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6,
     0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05},
    {0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b,
     0x76, 0x0d, 0x10, 0x67, 0x0f, 0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39,
     0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a},
};

int mbpf_ge_has_small_order(const uint8_t s[32])
{
    /* Reducing first also catches the non-canonical spellings p and p+1
     * of 0 and 1, as libsodium's list does. */
    mbpf_fe y;
    uint8_t c[32];
    mbpf_fe_frombytes(y, s);
    mbpf_fe_tobytes(c, y);
    for (int i = 0; i < 5; i++)
        if (memcmp(c, small_order_y[i], 32) == 0) return 1;
    return 0;
}

int mbpf_ge_frombytes(mbpf_ge_p3 *p, const uint8_t s[32])
{
    mbpf_fe u, v, v3, vx2, t;
    uint8_t check[32];
    int sign = s[31] >> 7;

    /* y must be canonical: re-encoding must give back the same bytes. */
    mbpf_fe_frombytes(p->Y, s);
    mbpf_fe_tobytes(check, p->Y);
    check[31] |= (uint8_t)(sign << 7);
    if (memcmp(check, s, 32) != 0) return -1;

    /* x^2 = u/v with u = y^2 - 1, v = d y^2 + 1 (v is never 0). */
    mbpf_fe_one(p->Z);
    mbpf_fe_sq(u, p->Y);
    mbpf_fe_mul(v, u, fe_d);
    mbpf_fe_sub(u, u, p->Z);
    mbpf_fe_add(v, v, p->Z);

    /* Candidate root x = u v^3 (u v^7)^((p-5)/8), RFC 8032 5.1.3 step 3. */
    mbpf_fe_sq(v3, v);
    mbpf_fe_mul(v3, v3, v);
    mbpf_fe_sq(t, v3);
    mbpf_fe_mul(t, t, v);
    mbpf_fe_mul(t, t, u);
    mbpf_fe_pow22523(t, t);
    mbpf_fe_mul(t, t, v3);
    mbpf_fe_mul(p->X, t, u);

    /* v x^2 = u: x is a root; v x^2 = -u: x sqrt(-1) is; else none. */
    mbpf_fe_sq(vx2, p->X);
    mbpf_fe_mul(vx2, vx2, v);
    mbpf_fe_sub(t, vx2, u);
    if (!mbpf_fe_iszero(t)) {
        mbpf_fe_add(t, vx2, u);
        if (!mbpf_fe_iszero(t)) return -1;
        mbpf_fe_mul(p->X, p->X, fe_sqrtm1);
    }

    if (mbpf_fe_isodd(p->X) != sign) {
        if (mbpf_fe_iszero(p->X)) return -1; /* x = 0 has no negative */
        mbpf_fe_neg(p->X, p->X);
    }
    mbpf_fe_mul(p->T, p->X, p->Y);
    return 0;
}

static void encode(uint8_t s[32], const mbpf_fe X, const mbpf_fe Y, const mbpf_fe Z)
{
    mbpf_fe zi, x, y;
    mbpf_fe_invert(zi, Z);
    mbpf_fe_mul(x, X, zi);
    mbpf_fe_mul(y, Y, zi);
    mbpf_fe_tobytes(s, y);
    s[31] |= (uint8_t)(mbpf_fe_isodd(x) << 7);
}

void mbpf_ge_tobytes(uint8_t s[32], const mbpf_ge_p3 *p)
{
    encode(s, p->X, p->Y, p->Z);
}

void mbpf_ge_neg(mbpf_ge_p3 *r, const mbpf_ge_p3 *p)
{
    mbpf_fe_neg(r->X, p->X);
    mbpf_fe_copy(r->Y, p->Y);
    mbpf_fe_copy(r->Z, p->Z);
    mbpf_fe_neg(r->T, p->T);
}

static void efgh_to_p2(ge_p2 *r, const ge_efgh *q)
{
    mbpf_fe_mul(r->X, q->E, q->F);
    mbpf_fe_mul(r->Y, q->G, q->H);
    mbpf_fe_mul(r->Z, q->F, q->G);
}

static void efgh_to_p3(mbpf_ge_p3 *r, const ge_efgh *q)
{
    mbpf_fe_mul(r->X, q->E, q->F);
    mbpf_fe_mul(r->Y, q->G, q->H);
    mbpf_fe_mul(r->Z, q->F, q->G);
    mbpf_fe_mul(r->T, q->E, q->H);
}

static void p3_to_cached(ge_cached *r, const mbpf_ge_p3 *p)
{
    mbpf_fe_add(r->YpX, p->Y, p->X);
    mbpf_fe_sub(r->YmX, p->Y, p->X);
    mbpf_fe_add(r->Z2, p->Z, p->Z);
    mbpf_fe_mul(r->T2d, p->T, fe_d2);
}

/* Doubling, RFC 8032 5.1.4: A = X^2, B = Y^2, C = 2 Z^2, H = A + B,
 * E = H - (X+Y)^2, G = A - B, F = C + G (a sum of three tight elements,
 * so still loose). */
static void dbl(ge_efgh *r, const mbpf_fe X, const mbpf_fe Y, const mbpf_fe Z)
{
    mbpf_fe a, b, c, xy;
    mbpf_fe_sq(a, X);
    mbpf_fe_sq(b, Y);
    mbpf_fe_sq(c, Z);
    mbpf_fe_add(c, c, c);
    mbpf_fe_add(xy, X, Y);
    mbpf_fe_sq(xy, xy);
    mbpf_fe_add(r->H, a, b);
    mbpf_fe_sub(r->E, r->H, xy);
    mbpf_fe_sub(r->G, a, b);
    mbpf_fe_add(r->F, c, r->G);
}

/*
 * Addition of a prepared point, RFC 8032 5.1.4, given the addend's Y+X,
 * Y-X and 2dT and D = 2 Z1 Z2. Subtracting instead uses -Q = (-X, Y, Z, -T):
 * Y+X and Y-X swap places and C changes sign, which swaps the roles of
 * D - C and D + C.
 */
static void add(ge_efgh *r, const mbpf_ge_p3 *p, const mbpf_fe ypx, const mbpf_fe ymx,
                const mbpf_fe t2d, const mbpf_fe d, int negate)
{
    mbpf_fe a, b, c;
    mbpf_fe_sub(a, p->Y, p->X);
    mbpf_fe_add(b, p->Y, p->X);
    mbpf_fe_mul(a, a, negate ? ypx : ymx);
    mbpf_fe_mul(b, b, negate ? ymx : ypx);
    mbpf_fe_mul(c, p->T, t2d);
    mbpf_fe_sub(r->E, b, a);
    mbpf_fe_add(r->H, b, a);
    if (negate) {
        mbpf_fe_add(r->F, d, c);
        mbpf_fe_sub(r->G, d, c);
    } else {
        mbpf_fe_sub(r->F, d, c);
        mbpf_fe_add(r->G, d, c);
    }
}

static void add_cached(ge_efgh *r, const mbpf_ge_p3 *p, const ge_cached *q, int negate)
{
    mbpf_fe d;
    mbpf_fe_mul(d, p->Z, q->Z2);
    add(r, p, q->YpX, q->YmX, q->T2d, d, negate);
}

/* An affine addend has Z2 = 1, which makes D = 2 Z1 a sum. */
static void add_affine(ge_efgh *r, const mbpf_ge_p3 *p, const ge_affine *q, int negate)
{
    mbpf_fe d;
    mbpf_fe_add(d, p->Z, p->Z);
    add(r, p, q->ypx, q->ymx, q->xy2d, d, negate);
}

static int bit_at(const uint8_t s[32], int i)
{
    return i < 256 ? (s[i >> 3] >> (i & 7)) & 1 : 0;
}

/*
 * Width-5 signed digits: s = sum of r[i] 2^i with each nonzero r[i] odd,
 * |r[i]| <= 15, and the 4 digits after it zero. Scanning up with a carry:
 * where bit + carry is odd, the next 5 bits plus the carry form an odd
 * v < 32; v or v - 32 (then carrying 1 onward) is the digit. Scalars
 * below 2^255 end without a carry out of bit 255.
 */
static void recode5(int8_t r[256], const uint8_t s[32])
{
    int carry = 0;
    memset(r, 0, 256);
    for (int i = 0; i < 256;) {
        if (bit_at(s, i) == carry) {
            i++; /* bit + carry is 0 or 2: digit 0, carry unchanged */
            continue;
        }
        int v = carry;
        for (int k = 0; k < 5; k++) v += bit_at(s, i + k) << k;
        if (v < 16) {
            r[i] = (int8_t)v;
            carry = 0;
        } else {
            r[i] = (int8_t)(v - 32);
            carry = 1;
        }
        i += 5;
    }
}

void mbpf_ge_double_scalarmult_base(mbpf_ge_p3 *out, const uint8_t a[32], const mbpf_ge_p3 *A,
                                    const uint8_t b[32])
{
    int8_t da[256], db[256];
    ge_cached odd_a[8]; /* [1]A, [3]A, ..., [15]A */
    ge_efgh t;
    mbpf_ge_p3 u;
    ge_p2 r;

    recode5(da, a);
    recode5(db, b);

    /* [2]A waits in the last slot, which is filled last: no extra point
     * on the stack. */
    dbl(&t, A->X, A->Y, A->Z);
    efgh_to_p3(&u, &t);
    p3_to_cached(&odd_a[7], &u);
    p3_to_cached(&odd_a[0], A);
    u = *A;
    for (int k = 1; k < 8; k++) {
        add_cached(&t, &u, &odd_a[7], 0);
        efgh_to_p3(&u, &t);
        p3_to_cached(&odd_a[k], &u);
    }

    int i = 255;
    while (i >= 0 && da[i] == 0 && db[i] == 0) i--;

    /* t starts as the identity: (E, F, G, H) = (0, 1, 1, 1). */
    mbpf_fe_zero(t.E);
    mbpf_fe_one(t.F);
    mbpf_fe_one(t.G);
    mbpf_fe_one(t.H);
    for (; i >= 0; i--) {
        efgh_to_p2(&r, &t);
        dbl(&t, r.X, r.Y, r.Z);
        if (da[i] != 0) {
            efgh_to_p3(&u, &t);
            int neg = da[i] < 0;
            add_cached(&t, &u, &odd_a[(neg ? -da[i] : da[i]) / 2], neg);
        }
        if (db[i] != 0) {
            efgh_to_p3(&u, &t);
            int neg = db[i] < 0;
            add_affine(&t, &u, &base_odd[(neg ? -db[i] : db[i]) / 2], neg);
        }
    }
    efgh_to_p3(out, &t);
}

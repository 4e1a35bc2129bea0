/*
 * GF(2^255 - 19) arithmetic in radix 2^25.5 (see fe25519.h for the limb
 * layout and the tight/loose bounds).
 *
 * The one idea: 2^255 = 19 (mod p), so a product limb that lands at or
 * above bit 255 folds back into the low limbs multiplied by 19. When two
 * odd limbs (25 bits wide each, starting at a half-bit offset) multiply,
 * their product sits one bit above the next limb's offset and gets an extra
 * factor 2. Everything is unsigned, so carries are plain shifts and masks;
 * subtraction adds 4p first so no limb ever goes negative.
 *
 * Not constant time: the verifier handles only public data.
 */
#include "fe25519.h"

#include <string.h>

#define M25 0x1ffffffu
#define M26 0x3ffffffu

/*
 * Straight-line limb arithmetic gives a coverage-guided fuzzer nothing to
 * steer by, yet in fuzzing builds tracing its compares (UBSan's alignment
 * checks among them) took a third of each sanitized verification. These
 * functions are exempt from coverage only; ASan and UBSan still check
 * them.
 */
#if defined(__clang__) && __clang_major__ >= 13
#define NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define NO_COVERAGE
#endif

/* Byte and bit offsets of limb i within the 32-byte encoding (bit
 * ceil(25.5 * i)); every limb fits in the 32 bits loaded from there. */
static const uint8_t limb_byte[10] = {0, 3, 6, 9, 12, 16, 19, 22, 25, 28};
static const uint8_t limb_shift[10] = {0, 2, 3, 5, 6, 0, 1, 3, 4, 6};

static uint32_t load32_le(const uint8_t *s)
{
    return (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
}

void mbpf_fe_frombytes(mbpf_fe h, const uint8_t s[32])
{
    for (int i = 0; i < 10; i++) {
        uint32_t mask = (i & 1) ? M25 : M26;
        h[i] = (load32_le(s + limb_byte[i]) >> limb_shift[i]) & mask;
    }
}

/* One carry pass over 32-bit limbs below 2^30: leaves every limb below
 * 2^w except limb 1, which may exceed 2^25 by a small carry (tight). */
NO_COVERAGE static void carry(mbpf_fe h)
{
    uint32_t c;
    c = h[0] >> 26, h[0] &= M26, h[1] += c;
    c = h[1] >> 25, h[1] &= M25, h[2] += c;
    c = h[2] >> 26, h[2] &= M26, h[3] += c;
    c = h[3] >> 25, h[3] &= M25, h[4] += c;
    c = h[4] >> 26, h[4] &= M26, h[5] += c;
    c = h[5] >> 25, h[5] &= M25, h[6] += c;
    c = h[6] >> 26, h[6] &= M26, h[7] += c;
    c = h[7] >> 25, h[7] &= M25, h[8] += c;
    c = h[8] >> 26, h[8] &= M26, h[9] += c;
    c = h[9] >> 25, h[9] &= M25, h[0] += 19 * c;
    c = h[0] >> 26, h[0] &= M26, h[1] += c;
}

void mbpf_fe_tobytes(uint8_t s[32], const mbpf_fe f)
{
    uint32_t t[10];
    memcpy(t, f, sizeof t);
    carry(t); /* now tight: value < 2p */

    /* q = 1 exactly when t >= p, i.e. when t + 19 reaches 2^255. */
    uint32_t q = (t[0] + 19) >> 26;
    for (int i = 1; i < 10; i++) q = (t[i] + q) >> ((i & 1) ? 25 : 26);

    /* t - q*p = t + 19q - q*2^255: add 19q, carry, drop bit 255. */
    t[0] += 19 * q;
    for (int i = 0; i < 9; i++) {
        int w = (i & 1) ? 25 : 26;
        t[i + 1] += t[i] >> w;
        t[i] &= (i & 1) ? M25 : M26;
    }
    t[9] &= M25;

    uint64_t acc = 0;
    int bits = 0, j = 0;
    for (int i = 0; i < 10; i++) {
        acc |= (uint64_t)t[i] << bits;
        bits += (i & 1) ? 25 : 26;
        while (bits >= 8) {
            s[j++] = (uint8_t)acc;
            acc >>= 8;
            bits -= 8;
        }
    }
    s[31] = (uint8_t)acc; /* the last 7 bits; bit 255 stays clear */
}

void mbpf_fe_copy(mbpf_fe h, const mbpf_fe f)
{
    memcpy(h, f, sizeof(mbpf_fe));
}

void mbpf_fe_zero(mbpf_fe h)
{
    memset(h, 0, sizeof(mbpf_fe));
}

void mbpf_fe_one(mbpf_fe h)
{
    memset(h, 0, sizeof(mbpf_fe));
    h[0] = 1;
}

/* Limb loops are written out: they run thousands of times per verify. */
NO_COVERAGE void mbpf_fe_add(mbpf_fe h, const mbpf_fe f, const mbpf_fe g)
{
    h[0] = f[0] + g[0], h[1] = f[1] + g[1], h[2] = f[2] + g[2], h[3] = f[3] + g[3];
    h[4] = f[4] + g[4], h[5] = f[5] + g[5], h[6] = f[6] + g[6], h[7] = f[7] + g[7];
    h[8] = f[8] + g[8], h[9] = f[9] + g[9];
}

/* 4p in limbs (4 * (2^26 - 19), then 4 * (2^25 - 1) and 4 * (2^26 - 1)
 * alternating): at least every loose limb, so f + 4p - g never wraps. */
#define FOUR_P0     0xfffffb4u
#define FOUR_P_ODD  0x7fffffcu
#define FOUR_P_EVEN 0xffffffcu

NO_COVERAGE void mbpf_fe_sub(mbpf_fe h, const mbpf_fe f, const mbpf_fe g)
{
    h[0] = f[0] + FOUR_P0 - g[0], h[1] = f[1] + FOUR_P_ODD - g[1];
    h[2] = f[2] + FOUR_P_EVEN - g[2], h[3] = f[3] + FOUR_P_ODD - g[3];
    h[4] = f[4] + FOUR_P_EVEN - g[4], h[5] = f[5] + FOUR_P_ODD - g[5];
    h[6] = f[6] + FOUR_P_EVEN - g[6], h[7] = f[7] + FOUR_P_ODD - g[7];
    h[8] = f[8] + FOUR_P_EVEN - g[8], h[9] = f[9] + FOUR_P_ODD - g[9];
    carry(h);
}

NO_COVERAGE void mbpf_fe_neg(mbpf_fe h, const mbpf_fe f)
{
    mbpf_fe zero = {0};
    mbpf_fe_sub(h, zero, f);
}

static inline uint64_t m(uint32_t a, uint32_t b)
{
    return (uint64_t)a * b;
}

/*
 * Carries the 64-bit column sums t0..t9 of a product into tight limbs of
 * h. A macro rather than a function so the sums stay in registers. With
 * loose inputs every column sum stays below 2^63 (2^62.2 at worst, column
 * 0), so neither the sums nor the carries added to them can wrap; the
 * carry out of limb 9 is below 2^33 and its 19-fold below 2^38.
 */
#define CARRY_WIDE(h)                                                                              \
    do {                                                                                           \
        t1 += t0 >> 26, (h)[0] = (uint32_t)t0 & M26;                                               \
        t2 += t1 >> 25, (h)[1] = (uint32_t)t1 & M25;                                               \
        t3 += t2 >> 26, (h)[2] = (uint32_t)t2 & M26;                                               \
        t4 += t3 >> 25, (h)[3] = (uint32_t)t3 & M25;                                               \
        t5 += t4 >> 26, (h)[4] = (uint32_t)t4 & M26;                                               \
        t6 += t5 >> 25, (h)[5] = (uint32_t)t5 & M25;                                               \
        t7 += t6 >> 26, (h)[6] = (uint32_t)t6 & M26;                                               \
        t8 += t7 >> 25, (h)[7] = (uint32_t)t7 & M25;                                               \
        t9 += t8 >> 26, (h)[8] = (uint32_t)t8 & M26;                                               \
        t0 = (t9 >> 25) * 19 + ((h)[0]);                                                           \
        (h)[9] = (uint32_t)t9 & M25;                                                               \
        (h)[0] = (uint32_t)t0 & M26;                                                               \
        (h)[1] += (uint32_t)(t0 >> 26); /* below 2^12: the tight slack */                          \
    } while (0)

/*
 * Schoolbook product. Column k collects f_i * g_j with i + j = k (mod 10).
 * Pairs with i + j >= 10 land at or above 2^255 and are summed apart, then
 * folded back times 19; pairs of two odd limbs take a factor 2 (folded
 * into f_i). Keeping the 19 off the operands leaves fewer values live.
 */
NO_COVERAGE void mbpf_fe_mul(mbpf_fe h, const mbpf_fe f, const mbpf_fe g)
{
    uint32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    uint32_t g0 = g[0], g1 = g[1], g2 = g[2], g3 = g[3], g4 = g[4];
    uint32_t g5 = g[5], g6 = g[6], g7 = g[7], g8 = g[8], g9 = g[9];
    uint32_t f1_2 = 2 * f1, f3_2 = 2 * f3, f5_2 = 2 * f5, f7_2 = 2 * f7, f9_2 = 2 * f9;
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, t8, t9;

    t0 = m(f0, g0) + 19 * (m(f1_2, g9) + m(f2, g8) + m(f3_2, g7) + m(f4, g6) + m(f5_2, g5) +
                           m(f6, g4) + m(f7_2, g3) + m(f8, g2) + m(f9_2, g1));
    t1 = m(f0, g1) + m(f1, g0) +
         19 * (m(f2, g9) + m(f3, g8) + m(f4, g7) + m(f5, g6) + m(f6, g5) + m(f7, g4) + m(f8, g3) +
               m(f9, g2));
    t2 = m(f0, g2) + m(f1_2, g1) + m(f2, g0) +
         19 * (m(f3_2, g9) + m(f4, g8) + m(f5_2, g7) + m(f6, g6) + m(f7_2, g5) + m(f8, g4) +
               m(f9_2, g3));
    t3 = m(f0, g3) + m(f1, g2) + m(f2, g1) + m(f3, g0) +
         19 * (m(f4, g9) + m(f5, g8) + m(f6, g7) + m(f7, g6) + m(f8, g5) + m(f9, g4));
    t4 = m(f0, g4) + m(f1_2, g3) + m(f2, g2) + m(f3_2, g1) + m(f4, g0) +
         19 * (m(f5_2, g9) + m(f6, g8) + m(f7_2, g7) + m(f8, g6) + m(f9_2, g5));
    t5 = m(f0, g5) + m(f1, g4) + m(f2, g3) + m(f3, g2) + m(f4, g1) + m(f5, g0) +
         19 * (m(f6, g9) + m(f7, g8) + m(f8, g7) + m(f9, g6));
    t6 = m(f0, g6) + m(f1_2, g5) + m(f2, g4) + m(f3_2, g3) + m(f4, g2) + m(f5_2, g1) + m(f6, g0) +
         19 * (m(f7_2, g9) + m(f8, g8) + m(f9_2, g7));
    t7 = m(f0, g7) + m(f1, g6) + m(f2, g5) + m(f3, g4) + m(f4, g3) + m(f5, g2) + m(f6, g1) +
         m(f7, g0) + 19 * (m(f8, g9) + m(f9, g8));
    t8 = m(f0, g8) + m(f1_2, g7) + m(f2, g6) + m(f3_2, g5) + m(f4, g4) + m(f5_2, g3) + m(f6, g2) +
         m(f7_2, g1) + m(f8, g0) + 19 * (m(f9_2, g9));
    t9 = m(f0, g9) + m(f1, g8) + m(f2, g7) + m(f3, g6) + m(f4, g5) + m(f5, g4) + m(f6, g3) +
         m(f7, g2) + m(f8, g1) + m(f9, g0);
    CARRY_WIDE(h);
}

/* Squaring: as mul, but each cross product f_i * f_j (i < j) appears once
 * with a factor 2, so 55 products instead of 100. */
NO_COVERAGE void mbpf_fe_sq(mbpf_fe h, const mbpf_fe f)
{
    uint32_t f0 = f[0], f1 = f[1], f2 = f[2], f3 = f[3], f4 = f[4];
    uint32_t f5 = f[5], f6 = f[6], f7 = f[7], f8 = f[8], f9 = f[9];
    uint32_t f0_2 = 2 * f0, f1_2 = 2 * f1, f2_2 = 2 * f2, f3_2 = 2 * f3, f4_2 = 2 * f4;
    uint32_t f5_2 = 2 * f5, f6_2 = 2 * f6, f7_2 = 2 * f7, f8_2 = 2 * f8, f9_2 = 2 * f9;
    uint64_t t0, t1, t2, t3, t4, t5, t6, t7, t8, t9;

    t0 = m(f0, f0) + 19 * (m(f1_2, f9_2) + m(f2_2, f8) + m(f3_2, f7_2) + m(f4_2, f6) + m(f5, f5_2));
    t1 = m(f0_2, f1) + 19 * (m(f2_2, f9) + m(f3_2, f8) + m(f4_2, f7) + m(f5_2, f6));
    t2 = m(f0_2, f2) + m(f1, f1_2) + 19 * (m(f3_2, f9_2) + m(f4_2, f8) + m(f5_2, f7_2) + m(f6, f6));
    t3 = m(f0_2, f3) + m(f1_2, f2) + 19 * (m(f4_2, f9) + m(f5_2, f8) + m(f6_2, f7));
    t4 = m(f0_2, f4) + m(f1_2, f3_2) + m(f2, f2) + 19 * (m(f5_2, f9_2) + m(f6_2, f8) + m(f7, f7_2));
    t5 = m(f0_2, f5) + m(f1_2, f4) + m(f2_2, f3) + 19 * (m(f6_2, f9) + m(f7_2, f8));
    t6 = m(f0_2, f6) + m(f1_2, f5_2) + m(f2_2, f4) + m(f3, f3_2) + 19 * (m(f7_2, f9_2) + m(f8, f8));
    t7 = m(f0_2, f7) + m(f1_2, f6) + m(f2_2, f5) + m(f3_2, f4) + 19 * (m(f8_2, f9));
    t8 = m(f0_2, f8) + m(f1_2, f7_2) + m(f2_2, f6) + m(f3_2, f5_2) + m(f4, f4) + 19 * (m(f9, f9_2));
    t9 = m(f0_2, f9) + m(f1_2, f8) + m(f2_2, f7) + m(f3_2, f6) + m(f4_2, f5);
    CARRY_WIDE(h);
}

/* h = f^(2^n). */
static void sq_times(mbpf_fe h, const mbpf_fe f, int n)
{
    mbpf_fe_sq(h, f);
    while (--n > 0) mbpf_fe_sq(h, h);
}

/*
 * Shared head of both exponentiations: z250 = f^(2^250 - 1) and
 * f11 = f^11, built from runs of ones (2^5-1, 2^10-1, ... 2^250-1) so the
 * whole chain costs 254 squarings and 11 multiplications.
 */
static void pow_2_250_1(mbpf_fe z250, mbpf_fe f11, const mbpf_fe f)
{
    mbpf_fe f2, f9, r5, r10, r50, t;

    /* Comments give the exponent of f held afterwards. */
    mbpf_fe_sq(f2, f);        /* 2 */
    sq_times(t, f2, 2);       /* 8 */
    mbpf_fe_mul(f9, t, f);    /* 9 */
    mbpf_fe_mul(f11, f9, f2); /* 11 */
    mbpf_fe_sq(t, f11);       /* 22 */
    mbpf_fe_mul(r5, t, f9);   /* 31 = 2^5 - 1 */
    sq_times(t, r5, 5);
    mbpf_fe_mul(r10, t, r5); /* 2^10 - 1 */
    sq_times(t, r10, 10);
    mbpf_fe_mul(z250, t, r10); /* 2^20 - 1 */
    sq_times(t, z250, 20);
    mbpf_fe_mul(t, t, z250); /* 2^40 - 1 */
    sq_times(t, t, 10);
    mbpf_fe_mul(r50, t, r10); /* 2^50 - 1 */
    sq_times(t, r50, 50);
    mbpf_fe_mul(z250, t, r50); /* 2^100 - 1 */
    sq_times(t, z250, 100);
    mbpf_fe_mul(t, t, z250); /* 2^200 - 1 */
    sq_times(t, t, 50);
    mbpf_fe_mul(z250, t, r50); /* 2^250 - 1 */
}

void mbpf_fe_invert(mbpf_fe h, const mbpf_fe f)
{
    mbpf_fe z250, f11;
    pow_2_250_1(z250, f11, f);
    sq_times(z250, z250, 5);   /* 2^255 - 32 */
    mbpf_fe_mul(h, z250, f11); /* 2^255 - 21 = p - 2 (Fermat) */
}

void mbpf_fe_pow22523(mbpf_fe h, const mbpf_fe f)
{
    mbpf_fe z250, f11;
    pow_2_250_1(z250, f11, f);
    sq_times(z250, z250, 2); /* 2^252 - 4 */
    mbpf_fe_mul(h, z250, f); /* 2^252 - 3 = (p - 5) / 8 */
}

int mbpf_fe_iszero(const mbpf_fe f)
{
    uint8_t s[32];
    uint8_t acc = 0;
    mbpf_fe_tobytes(s, f);
    for (int i = 0; i < 32; i++) acc |= s[i];
    return acc == 0;
}

int mbpf_fe_isodd(const mbpf_fe f)
{
    uint8_t s[32];
    mbpf_fe_tobytes(s, f);
    return s[0] & 1;
}

/*
 * Numbers: shortest round-trip formatting (Burger & Dybvig's free-format
 * algorithm on small bignums), JS StringToNumber parsing with correct
 * rounding (exact fast path, else a bignum quotient), and the few libm
 * functions the engine needs, written here so the engine needs no libm.
 */
#include "internal.h"

#define BN_LIMBS 48
typedef struct bn {
    uint32_t w[BN_LIMBS];
    int n; /* used limbs; w[n..] are zero */
} bn;

static void bn_set(bn *a, uint64_t v)
{
    memset(a, 0, sizeof *a);
    a->w[0] = (uint32_t)v;
    a->w[1] = (uint32_t)(v >> 32);
    a->n = a->w[1] ? 2 : a->w[0] ? 1 : 0;
}

static void bn_mul_small(bn *a, uint32_t m, uint32_t add)
{
    uint64_t carry = add;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] * m + carry;
        a->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && a->n < BN_LIMBS) a->w[a->n++] = (uint32_t)carry;
}

static void bn_shl(bn *a, int bits)
{
    int limbs = bits / 32, b = bits % 32;
    if (a->n == 0) return;
    int n = a->n + limbs + 1;
    if (n > BN_LIMBS) n = BN_LIMBS;
    for (int i = n - 1; i >= 0; i--) {
        uint32_t hi = i - limbs >= 0 && i - limbs < a->n ? a->w[i - limbs] : 0;
        uint32_t lo = i - limbs - 1 >= 0 && i - limbs - 1 < a->n ? a->w[i - limbs - 1] : 0;
        a->w[i] = b ? (hi << b) | (lo >> (32 - b)) : hi;
    }
    a->n = n;
    while (a->n && !a->w[a->n - 1]) a->n--;
}

static int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i]) return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

static void bn_add(bn *r, const bn *a, const bn *b)
{
    uint64_t c = 0;
    int n = a->n > b->n ? a->n : b->n;
    for (int i = 0; i < n; i++) {
        c += (uint64_t)a->w[i] + b->w[i];
        r->w[i] = (uint32_t)c;
        c >>= 32;
    }
    for (int i = n; i < BN_LIMBS; i++) r->w[i] = 0;
    r->n = n;
    if (c && n < BN_LIMBS) r->w[r->n++] = (uint32_t)c;
}

static void bn_sub(bn *a, const bn *b) /* a -= b, a >= b */
{
    int64_t c = 0;
    for (int i = 0; i < a->n; i++) {
        c += (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0);
        a->w[i] = (uint32_t)c;
        c = c < 0 ? -1 : 0;
    }
    while (a->n && !a->w[a->n - 1]) a->n--;
}

static int bn_bits(const bn *a)
{
    if (!a->n) return 0;
    return 32 * (a->n - 1) + (32 - __builtin_clz(a->w[a->n - 1]));
}

static uint64_t dbits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

bool num_is_nan(double d)
{
    return d != d;
}
bool num_is_finite(double d)
{
    return d == d && d - d == 0;
}

/* Shortest digits of a positive finite d: returns count, *k = decimal exponent
 * such that d = 0.DIGITS * 10^k. */
static int shortest_digits(double d, char *digits, int *kout)
{
    uint64_t u = dbits(d);
    int be = (int)((u >> 52) & 0x7ff);
    uint64_t f = u & ((1ull << 52) - 1);
    int e;
    if (be) {
        f |= 1ull << 52;
        e = be - 1075;
    } else {
        e = -1074;
    }
    bool even = (f & 1) == 0;
    bn r, s, mp, mm;
    bool unequal = be > 1 && f == (1ull << 52);
    if (e >= 0) {
        bn_set(&r, f);
        bn_shl(&r, e + (unequal ? 2 : 1));
        bn_set(&s, unequal ? 4 : 2);
        bn_set(&mp, 1);
        bn_shl(&mp, e + (unequal ? 1 : 0));
        bn_set(&mm, 1);
        bn_shl(&mm, e);
    } else {
        bn_set(&r, f);
        bn_shl(&r, unequal ? 2 : 1);
        bn_set(&s, 1);
        bn_shl(&s, (unequal ? 2 : 1) - e);
        bn_set(&mp, unequal ? 2 : 1);
        bn_set(&mm, 1);
    }
    int bits = 64 - __builtin_clzll(f);
    double est = (double)(e + bits - 1) * 0.30102999566398114;
    int k = (int)est;
    if ((double)k < est) k++; /* ceil */
    if (k >= 0) {
        for (int i = 0; i < k; i++) bn_mul_small(&s, 10, 0);
    } else {
        for (int i = 0; i < -k; i++) {
            bn_mul_small(&r, 10, 0);
            bn_mul_small(&mp, 10, 0);
            bn_mul_small(&mm, 10, 0);
        }
    }
    bn t;
    bn_add(&t, &r, &mp);
    if (even ? bn_cmp(&t, &s) >= 0 : bn_cmp(&t, &s) > 0) {
        bn_mul_small(&s, 10, 0);
        k++;
    }
    /* the estimate can be one too high: then the first digit would be 0 */
    for (;;) {
        bn r10 = r, mp10 = mp;
        bn_mul_small(&r10, 10, 0);
        bn_mul_small(&mp10, 10, 0);
        bn_add(&t, &r10, &mp10);
        if (even ? bn_cmp(&t, &s) >= 0 : bn_cmp(&t, &s) > 0) break;
        r = r10;
        mp = mp10;
        bn_mul_small(&mm, 10, 0);
        k--;
    }
    int n = 0;
    for (;;) {
        bn_mul_small(&r, 10, 0);
        bn_mul_small(&mp, 10, 0);
        bn_mul_small(&mm, 10, 0);
        int dg = 0;
        while (bn_cmp(&r, &s) >= 0) {
            bn_sub(&r, &s);
            dg++;
        }
        bn_add(&t, &r, &mp);
        bool tc1 = even ? bn_cmp(&r, &mm) <= 0 : bn_cmp(&r, &mm) < 0;
        bool tc2 = even ? bn_cmp(&t, &s) >= 0 : bn_cmp(&t, &s) > 0;
        if (!tc1 && !tc2) {
            digits[n++] = (char)('0' + dg);
            if (n >= 17) break;
            continue;
        }
        if (tc1 && tc2) {
            bn r2 = r;
            bn_shl(&r2, 1);
            int c = bn_cmp(&r2, &s);
            if (c > 0 || (c == 0 && (dg & 1))) dg++; /* a tie goes to the even digit */
        } else if (tc2) {
            dg++;
        }
        digits[n++] = (char)('0' + dg);
        break;
    }
    *kout = k;
    return n;
}

size_t num_to_chars(double d, char *buf)
{
    size_t p = 0;
    if (num_is_nan(d)) {
        memcpy(buf, "NaN", 3);
        return 3;
    }
    if (d == 0) {
        buf[0] = '0';
        return 1;
    }
    if (d < 0) {
        buf[p++] = '-';
        d = -d;
    }
    if (d - d != 0) {
        memcpy(buf + p, "Infinity", 8);
        return p + 8;
    }
    char dig[20];
    int k, n;
    if (d < 9007199254740992.0 && d == (double)(uint64_t)d) {
        uint64_t v = (uint64_t)d;
        n = 0;
        char tmp[20];
        while (v) {
            tmp[n++] = (char)('0' + v % 10);
            v /= 10;
        }
        for (int i = 0; i < n; i++) buf[p + (size_t)i] = tmp[n - 1 - i];
        return p + (size_t)n;
    }
    n = shortest_digits(d, dig, &k);
    if (n <= k && k <= 21) {
        memcpy(buf + p, dig, (size_t)n);
        p += (size_t)n;
        for (int i = n; i < k; i++) buf[p++] = '0';
    } else if (0 < k && k <= 21) {
        memcpy(buf + p, dig, (size_t)k);
        p += (size_t)k;
        buf[p++] = '.';
        memcpy(buf + p, dig + k, (size_t)(n - k));
        p += (size_t)(n - k);
    } else if (-6 < k && k <= 0) {
        buf[p++] = '0';
        buf[p++] = '.';
        for (int i = 0; i < -k; i++) buf[p++] = '0';
        memcpy(buf + p, dig, (size_t)n);
        p += (size_t)n;
    } else {
        buf[p++] = dig[0];
        if (n > 1) {
            buf[p++] = '.';
            memcpy(buf + p, dig + 1, (size_t)(n - 1));
            p += (size_t)(n - 1);
        }
        buf[p++] = 'e';
        int x = k - 1;
        buf[p++] = x < 0 ? '-' : '+';
        if (x < 0) x = -x;
        char t[4];
        int m = 0;
        do {
            t[m++] = (char)('0' + x % 10);
            x /= 10;
        } while (x);
        while (m) buf[p++] = t[--m];
    }
    return p;
}

static double scale2(double r, int k);

/* Correctly rounded M * 10^e10 (M: at most 41 decimal digits). */
static double decimal_to_double(const bn *M, int e10)
{
    uint64_t m = M->n == 0   ? 0
                 : M->n == 1 ? M->w[0]
                 : M->n == 2 ? (uint64_t)M->w[1] << 32 | M->w[0]
                             : ~0ull;
    static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                 1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (M->n == 0) return 0;
    if (m < (1ull << 53) && e10 >= -22 && e10 <= 22)
        return e10 >= 0 ? (double)m * p10[e10] : (double)m / p10[-e10];
    if (e10 > 310) return NUM_INFINITY;
    if (e10 < -345 - 41) return 0;
    /* value = N / D with N = m * 10^max(e,0), D = 10^max(-e,0); find q with
     * 2^63 <= q < 2^64 where q = floor(N * 2^s / D). */
    bn N = *M, D;
    bn_set(&D, 1);
    for (int i = 0; i < e10; i++) bn_mul_small(&N, 10, 0);
    for (int i = 0; i < -e10; i++) bn_mul_small(&D, 10, 0);
    int s = 64 - (bn_bits(&N) - bn_bits(&D));
    if (s > 0)
        bn_shl(&N, s);
    else if (s < 0)
        bn_shl(&D, -s);
    /* now N/D in [2^63, 2^65) */
    bn D2 = D;
    bn_shl(&D2, 64);
    if (bn_cmp(&N, &D2) >= 0) {
        bn_shl(&D, 1);
        s--;
    }
    uint64_t q = 0;
    for (int bit = 63; bit >= 0; bit--) {
        bn Db = D;
        bn_shl(&Db, bit);
        if (bn_cmp(&N, &Db) >= 0) {
            bn_sub(&N, &Db);
            q |= 1ull << bit;
        }
    }
    bool sticky = N.n != 0;
    /* value = q * 2^-s, q in [2^63, 2^64): binary exponent of the leading bit */
    int lead = 63 - s; /* value in [2^lead, 2^(lead+1)) */
    int keep = 53;
    if (lead < -1022) keep = 53 - (-1022 - lead);
    if (keep < 0) return 0;
    int drop = 64 - keep;
    uint64_t kept = drop >= 64 ? 0 : q >> drop;
    uint64_t rest = drop >= 64 ? q : q & ((1ull << drop) - 1);
    uint64_t half = 1ull << (drop - 1);
    if (rest > half || (rest == half && (sticky || (kept & 1)))) kept++;
    /* kept * 2^(lead - keep + 1) */
    int exp2 = lead - keep + 1;
    return scale2((double)kept, exp2); /* exact: kept <= 2^53 */
}

static bool is_ws(uint8_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool num_parse(const char *str, size_t len, double *out, bool whole)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    if (whole) {
        while (i < len && is_ws(s[i])) i++;
        while (len > i && is_ws(s[len - 1])) len--;
        if (i == len) {
            *out = 0;
            return true;
        }
    }
    bool neg = false;
    if (whole && i < len && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (len - i >= 8 && !memcmp(s + i, "Infinity", 8) && i + 8 == len) {
        *out = neg ? -NUM_INFINITY : NUM_INFINITY;
        return true;
    }
    if (len - i > 2 && s[i] == '0' && (s[i + 1] | 0x20) != 'e' && s[i + 1] > '9' && !neg) {
        int base = (s[i + 1] | 0x20) == 'x'   ? 16
                   : (s[i + 1] | 0x20) == 'o' ? 8
                   : (s[i + 1] | 0x20) == 'b' ? 2
                                              : 0;
        if (!base) return false;
        double v = 0;
        for (i += 2; i < len; i++) {
            int c = s[i], dgt = c >= '0' && c <= '9'                     ? c - '0'
                                : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10
                                                                         : 99;
            if (dgt >= base) return false;
            v = v * base + dgt;
        }
        *out = v;
        return true;
    }
    /* up to 40 significant digits exactly (a bignum), the rest as a sticky bit */
    bn M;
    bn_set(&M, 0);
    int nd = 0, e10 = 0;
    bool any = false, sticky = false;
    for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
        any = true;
        if (nd < 40) {
            bn_mul_small(&M, 10, (uint32_t)(s[i] - '0'));
            if (M.n) nd++;
        } else {
            e10++;
            if (s[i] != '0') sticky = true;
        }
    }
    if (i < len && s[i] == '.') {
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
            any = true;
            if (nd < 40) {
                bn_mul_small(&M, 10, (uint32_t)(s[i] - '0'));
                if (M.n) nd++;
                e10--;
            } else if (s[i] != '0') {
                sticky = true;
            }
        }
    }
    if (!any) return false;
    if (i < len && (s[i] | 0x20) == 'e') {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
        if (i >= len || s[i] < '0' || s[i] > '9') return false;
        int x = 0;
        for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
            if (x < 100000) x = x * 10 + (s[i] - '0');
        e10 += eneg ? -x : x;
    }
    if (i != len) return false;
    if (sticky) { /* more digits than kept: stand in with a trailing 1 */
        bn_mul_small(&M, 10, 1);
        e10--;
    }
    double v = decimal_to_double(&M, e10);
    *out = neg ? -v : v;
    return true;
}

int32_t num_to_int32(double d)
{
    if (d >= -2147483648.0 && d <= 2147483647.0) return (int32_t)d;
    /* truncation toward zero then modulo 2^32 is exactly ToInt32 */
    if (d > -9.2e18 && d < 9.2e18) return (int32_t)(uint32_t)(uint64_t)(int64_t)d;
    if (!num_is_finite(d)) return 0;
    double t = d < 0 ? -num_floor(-d) : num_floor(d);
    double m = num_fmod(t, 4294967296.0);
    if (m < 0) m += 4294967296.0;
    uint32_t u = (uint32_t)m;
    return (int32_t)u; /* implementation-defined wrap; gcc/clang: modulo */
}

double num_floor(double d)
{
    if (!num_is_finite(d) || d == 0 || d >= 4503599627370496.0 || d <= -4503599627370496.0)
        return d;
    double t = (double)(int64_t)d;
    if (t > d) t -= 1;
    if (t == 0 && d < 0) return -0.0;
    return t;
}

double num_fmod(double a, double b)
{
    if (num_is_nan(a) || num_is_nan(b) || !num_is_finite(a) || b == 0) return NUM_NAN;
    if (!num_is_finite(b) || a == 0) return a;
    double r = a < 0 ? -a : a, m = b < 0 ? -b : b;
    /* long division on exact doubles: every subtraction is exact */
    while (r >= m) {
        double t = m;
        while (t <= r / 2) t *= 2;
        r -= t;
    }
    return a < 0 ? -r : r;
}

static double scale2(double r, int k) /* r * 2^k, exact while in range */
{
    while (k > 0) {
        int st = k > 60 ? 60 : k;
        r *= (double)(1ull << st);
        k -= st;
    }
    while (k < 0) {
        int st = -k > 60 ? 60 : -k;
        r /= (double)(1ull << st);
        k += st;
    }
    return r;
}

/* Correctly rounded square root by the bit-by-bit (restoring) method on the
 * mantissa; used where the compiler has no sqrt instruction to inline (x87). */
static double soft_sqrt(double d)
{
    if (d != d || d < 0) return NUM_NAN;
    if (d == 0 || !num_is_finite(d)) return d;
    uint64_t u = dbits(d);
    int be = (int)((u >> 52) & 0x7ff);
    uint64_t m = u & ((1ull << 52) - 1);
    int e;
    if (be) {
        m |= 1ull << 52;
        e = be - 1075;
    } else {
        e = -1074;
        while (!(m & (1ull << 52))) {
            m <<= 1;
            e--;
        }
    }
    if (e & 1) {
        m <<= 1;
        e--;
    }
    /* q = floor(sqrt(m * 2^56)), 55 bits; the radicand has 110 bits */
    uint64_t q = 0, r = 0;
    for (int j = 109; j >= 1; j -= 2) {
        uint64_t pair = 0;
        for (int b = j; b >= j - 1; b--) pair = (pair << 1) | (b >= 56 ? (m >> (b - 56)) & 1 : 0);
        r = (r << 2) | pair;
        uint64_t t = (q << 2) | 1;
        if (r >= t) {
            r -= t;
            q = (q << 1) | 1;
        } else {
            q <<= 1;
        }
    }
    uint64_t kept = q >> 2, rest = q & 3;
    if (rest > 2 || (rest == 2 && (r != 0 || (kept & 1)))) kept++;
    return scale2((double)kept, (e - 56) / 2 + 2);
}

double num_sqrt(double d)
{
#if defined(__x86_64__) || defined(__aarch64__)
    return __builtin_sqrt(d); /* built with -fno-math-errno: one instruction */
#else
    return soft_sqrt(d);
#endif
}

double ujs__soft_sqrt(double d); /* exposed for the unit test of both paths */
double ujs__soft_sqrt(double d)
{
    return soft_sqrt(d);
}

static double num_exp(double x)
{
    if (num_is_nan(x)) return x;
    if (x > 709.8) return NUM_INFINITY;
    if (x < -745.2) return 0;
    /* x = k ln2 + r, |r| <= ln2/2; exp(r) by Taylor series */
    const double ln2 = 0.6931471805599453;
    double kf = num_floor(x / ln2 + 0.5);
    double r = x - kf * ln2;
    double sum = 1, term = 1;
    for (int i = 1; i < 30; i++) {
        term *= r / i;
        sum += term;
    }
    int k = (int)kf;
    while (k > 0) {
        sum *= 2;
        k--;
    }
    while (k < 0) {
        sum /= 2;
        k++;
    }
    return sum;
}

static double num_log(double x)
{
    if (num_is_nan(x) || x < 0) return NUM_NAN;
    if (x == 0) return -NUM_INFINITY;
    if (!num_is_finite(x)) return x;
    int k = 0;
    while (x > 1.4142135623730951) {
        x /= 2;
        k++;
    }
    while (x < 0.7071067811865476) {
        x *= 2;
        k--;
    }
    /* log(x) = 2 atanh((x-1)/(x+1)) */
    double z = (x - 1) / (x + 1), z2 = z * z, term = z, sum = 0;
    for (int i = 1; i < 60; i += 2) {
        sum += term / i;
        term *= z2;
    }
    return 2 * sum + k * 0.6931471805599453;
}

/* log2 exact on powers of two: the exponent is split off exactly */
double num_log2(double x)
{
    if (num_is_nan(x) || x < 0) return NUM_NAN;
    if (x == 0) return -NUM_INFINITY;
    if (!num_is_finite(x)) return x;
    int k = 0;
    while (x >= 2) {
        x /= 2;
        k++;
    }
    while (x < 1) {
        x *= 2;
        k--;
    }
    if (x == 1) return k;
    return k + num_log(x) * 1.4426950408889634;
}

/* log10 exact on powers of ten */
double num_log10(double x)
{
    double r = num_log(x) * 0.4342944819032518;
    if (num_is_finite(r)) {
        double n = num_floor(r + 0.5);
        if (n >= -22 && n <= 22 && num_pow(10, n) == x) return n;
    }
    return r;
}

double num_pow(double a, double b)
{
    if (num_is_nan(b)) return NUM_NAN;
    if (b == 0) return 1;
    if (num_is_nan(a)) return NUM_NAN;
    if (a == 10 && b == num_floor(b) && b >= -22 && b <= 22) {
        /* powers of ten up to 1e22 are exact: one rounding at most */
        double r = 1;
        for (int i = 0; i < (b < 0 ? -b : b); i++) r *= 10;
        return b < 0 ? 1 / r : r;
    }
    if (b == num_floor(b) && b >= -1024 && b <= 1024) {
        double r = 1, x = a;
        int64_t n = (int64_t)(b < 0 ? -b : b);
        while (n) {
            if (n & 1) r *= x;
            x *= x;
            n >>= 1;
        }
        return b < 0 ? 1 / r : r;
    }
    if ((a == 1 || a == -1) && !num_is_finite(b)) return NUM_NAN;
    if (a < 0 && b != num_floor(b)) return NUM_NAN;
    if (b == 0.5 && a != -NUM_INFINITY) return num_sqrt(a == 0 ? 0 : a);
    if (b == -0.5) return 1 / num_sqrt(a);
    if (a == 0) return b < 0 ? NUM_INFINITY : 0;
    if (a < 0) { /* integral b beyond the loop range */
        double r = num_exp(b * num_log(-a));
        return num_fmod(b, 2) != 0 ? -r : r;
    }
    return num_exp(b * num_log(a));
}

ujs_value num_new(ujs_ctx *ctx, double d)
{
    if (d >= SMI_MIN && d <= SMI_MAX) {
        sword i = (sword)d;
        if ((double)i == d && !(d == 0 && dbits(d) >> 63)) return v_mkint(i);
    }
    return num_box(ctx, d);
}

ujs_value num_box(ujs_ctx *ctx, double d)
{
    uword *p = heap_alloc_raw_fast(ctx, FLOAT_WORDS, T_FLOAT);
    if (!p && !(p = heap_alloc(ctx, FLOAT_WORDS, T_FLOAT))) return throw_oom(ctx);
    memcpy((char *)p + offsetof(floatblk, d), &d, 8);
    return (ujs_value)p;
}

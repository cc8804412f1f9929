/* value.c - parsing and printing runtime values the way simple_switch_CLI does
 * (its parse_param / int_to_bytes / hexstr), so command files written for BMv2
 * mean the same here. Integers of any width are accumulated directly into a
 * big-endian byte array. */
#include "control/value.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Multiplies the big-endian number buf[0..n) by base and adds d; returns -1 on
 * overflow of n bytes. */
static int
mul_add(uint8_t *buf, size_t n, unsigned base, unsigned d)
{
    unsigned carry = d;
    for (size_t i = n; i-- > 0;) {
        unsigned x = buf[i] * base + carry;
        buf[i] = (uint8_t)x;
        carry = x >> 8;
    }
    return carry ? -1 : 0;
}

static int
digit_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* Python int(s, 0) into buf[0..n) big-endian. Returns 0, -1 not an integer,
 * -2 too large for n bytes. */
static int
parse_int_bytes(const char *s, uint8_t *buf, size_t n)
{
    memset(buf, 0, n);
    while (isspace((unsigned char)*s))
        s++;
    int neg = 0;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    else if (s[0] == '0' && (s[1] == 'o' || s[1] == 'O'))
        base = 8, s += 2;
    else if (s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
        base = 2, s += 2;
    int ndig = 0, too_big = 0;
    int last_us = 1; /* '_' only between digits (or right after the prefix) */
    if (base != 10)
        last_us = 0;
    for (; *s && !isspace((unsigned char)*s); s++) {
        if (*s == '_') {
            if (last_us)
                return -1;
            last_us = 1;
            continue;
        }
        unsigned d = (unsigned)digit_val(*s);
        if (d >= base)
            return -1;
        if (mul_add(buf, n, base, d) < 0)
            too_big = 1;
        ndig++;
        last_us = 0;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (!ndig || last_us || *s)
        return -1;
    if (neg) {
        /* BMv2's int_to_bytes turns a negative number into zeros; we refuse it
         */
        for (size_t i = 0; i < n; i++)
            if (buf[i])
                return -1;
    }
    return too_big ? -2 : 0;
}

int
value_parse_u64(const char *s, uint64_t *v)
{
    uint8_t b[8];
    if (parse_int_bytes(s, b, sizeof b) < 0)
        return -1;
    uint64_t x = 0;
    for (int i = 0; i < 8; i++)
        x = x << 8 | b[i];
    *v = x;
    return 0;
}

int
value_parse_int(const char *s, long long *v)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || end == s)
        return -1;
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return -1;
    *v = x;
    return 0;
}

static int
parse_ipv4(const char *s, uint8_t *out)
{
    int n = 0;
    const char *p = s;
    while (n < 4) {
        if (!isdigit((unsigned char)*p))
            return -1;
        long x = strtol(p, (char **)&p, 10);
        if (x < 0 || x > 255)
            return -1;
        out[n++] = (uint8_t)x;
        if (n < 4) {
            if (*p != '.')
                return -1;
            p++;
        }
    }
    return *p ? -1 : 0;
}

static int
parse_mac(const char *s, uint8_t *out)
{
    int n = 0;
    const char *p = s;
    while (n < 6) {
        if (!isxdigit((unsigned char)*p))
            return -1;
        char *end;
        long x = strtol(p, &end, 16);
        if (x < 0 || x > 255 || end - p > 2)
            return -1;
        out[n++] = (uint8_t)x;
        p = end;
        if (n < 6) {
            if (*p != ':')
                return -1;
            p++;
        }
    }
    return *p ? -1 : 0;
}

int
value_parse(const char *s, int bitwidth, uint8_t *out, size_t *len, char *msg,
            size_t msglen)
{
    size_t n = bitwidth > 0 ? ((size_t)bitwidth + 7) / 8 : 1;
    if (n > VALUE_MAX_BYTES) {
        snprintf(msg, msglen, "Field too wide (%d bits)", bitwidth);
        return -1;
    }
    *len = n;
    if (bitwidth == 32 && strchr(s, '.')) {
        if (parse_ipv4(s, out) < 0) {
            snprintf(msg, msglen, "Invalid IPv4 address");
            return -1;
        }
        return 0;
    }
    if (bitwidth == 48 && strchr(s, ':')) {
        if (parse_mac(s, out) < 0) {
            snprintf(msg, msglen, "Invalid MAC address");
            return -1;
        }
        return 0;
    }
    if (bitwidth == 128 && strchr(s, ':')) {
        if (inet_pton(AF_INET6, s, out) != 1) {
            snprintf(msg, msglen, "Invalid IPv6 address");
            return -1;
        }
        return 0;
    }
    int rc = parse_int_bytes(s, out, n);
    if (rc == -1) {
        snprintf(msg, msglen,
                 "Invalid input, could not cast to integer, try in hex with 0x "
                 "prefix");
        return -1;
    }
    if (rc == -2) {
        snprintf(msg, msglen, "Parameter is too large");
        return -1;
    }
    return 0;
}

void
value_hex(char *buf, size_t buflen, const uint8_t *v, size_t n, char sep)
{
    size_t o = 0;
    if (buflen)
        buf[0] = '\0';
    for (size_t i = 0; i < n && o + 4 < buflen; i++) {
        if (i && sep)
            buf[o++] = sep;
        o += (size_t)snprintf(buf + o, buflen - o, "%02x", v[i]);
    }
}

void
value_pyfloat(char *buf, size_t buflen, double d)
{
    char tmp[64];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, d);
        if (strtod(tmp, NULL) == d)
            break;
    }
    /* tmp = "d.ddde[+-]XX": digits and exponent */
    char digits[32];
    size_t nd = 0;
    const char *p = tmp;
    int neg = 0;
    if (*p == '-')
        neg = 1, p++;
    for (; *p && *p != 'e'; p++)
        if (isdigit((unsigned char)*p))
            digits[nd++] = *p;
    digits[nd] = '\0';
    int exp = *p == 'e' ? atoi(p + 1) : 0;
    size_t o = 0;
    if (neg)
        o += (size_t)snprintf(buf + o, buflen - o, "-");
    if (exp < -4 || exp >= 16) {
        o += (size_t)snprintf(buf + o, buflen - o, "%c", digits[0]);
        if (nd > 1)
            o += (size_t)snprintf(buf + o, buflen - o, ".%s", digits + 1);
        snprintf(buf + o, buflen - o, "e%c%02d", exp < 0 ? '-' : '+',
                 exp < 0 ? -exp : exp);
    } else if (exp < 0) {
        o += (size_t)snprintf(buf + o, buflen - o, "0.");
        for (int i = -1; i > exp; i--)
            o += (size_t)snprintf(buf + o, buflen - o, "0");
        snprintf(buf + o, buflen - o, "%s", digits);
    } else {
        for (int i = 0; i <= exp; i++)
            o += (size_t)snprintf(buf + o, buflen - o, "%c",
                                  (size_t)i < nd ? digits[i] : '0');
        if ((size_t)exp + 1 < nd)
            snprintf(buf + o, buflen - o, ".%s", digits + exp + 1);
        else
            snprintf(buf + o, buflen - o, ".0");
    }
}

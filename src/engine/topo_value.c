/* topo_value.c - the value syntaxes of topology files and of the CLI's
 * key=value arguments: durations ("10ms"), rates ("10Mbit"), percentages,
 * byte sizes ("256m"), IPv4 addresses with prefix length, MAC addresses and
 * node names. Shared by topo.c and src/cli so both accept the same spellings.
 */
#include "engine/topo.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Splits "12.5ms" into 12.5 and "ms"; fails on no number or a negative one. */
static int
number_unit(const char *s, double *v, const char **unit, const char **why)
{
    char *end;
    while (isspace((unsigned char)*s))
        s++;
    if (!*s || !(isdigit((unsigned char)*s) || *s == '.')) {
        *why = "expected a non-negative number";
        return -1;
    }
    *v = strtod(s, &end);
    if (end == s || !isfinite(*v) || *v < 0) {
        *why = "expected a non-negative number";
        return -1;
    }
    while (isspace((unsigned char)*end))
        end++;
    *unit = end;
    return 0;
}

int
topo_parse_duration_ms(const char *s, double *ms, const char **why)
{
    double v;
    const char *u;
    if (number_unit(s, &v, &u, why) < 0)
        return -1;
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},      {"ms", 1},   {"us", 1e-3},  {"s", 1e3},
                 {"sec", 1e3}, {"msec", 1}, {"usec", 1e-3}};
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (!strcasecmp(u, units[i].unit)) {
            *ms = v * units[i].scale;
            return 0;
        }
    }
    *why = "expected a duration such as 10ms, 500us or 1s";
    return -1;
}

int
topo_parse_bw_mbit(const char *s, double *mbit, const char **why)
{
    double v;
    const char *u;
    if (number_unit(s, &v, &u, why) < 0)
        return -1;
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},          {"m", 1},    {"mbit", 1},    {"mbps", 1},
                 {"mbit/s", 1},    {"k", 1e-3}, {"kbit", 1e-3}, {"kbps", 1e-3},
                 {"kbit/s", 1e-3}, {"g", 1e3},  {"gbit", 1e3},  {"gbps", 1e3},
                 {"gbit/s", 1e3}};
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (!strcasecmp(u, units[i].unit)) {
            *mbit = v * units[i].scale;
            if (*mbit <= 0) {
                *why = "a rate must be above 0";
                return -1;
            }
            return 0;
        }
    }
    *why = "expected a rate in Mbit/s such as 10, 100kbit or 1Gbit";
    return -1;
}

int
topo_parse_percent(const char *s, double *pct, const char **why)
{
    double v;
    const char *u;
    if (number_unit(s, &v, &u, why) < 0)
        return -1;
    if (*u && strcmp(u, "%")) {
        *why = "expected a percentage such as 1 or 0.5%";
        return -1;
    }
    if (v > 100) {
        *why = "a percentage is at most 100";
        return -1;
    }
    *pct = v;
    return 0;
}

int
topo_parse_bytes(const char *s, long long *bytes, const char **why)
{
    double v;
    const char *u;
    if (number_unit(s, &v, &u, why) < 0)
        return -1;
    static const struct {
        const char *unit;
        double scale;
    } units[] = {{"", 1},
                 {"b", 1},
                 {"k", 1024.0},
                 {"kb", 1024.0},
                 {"kib", 1024.0},
                 {"m", 1048576.0},
                 {"mb", 1048576.0},
                 {"mib", 1048576.0},
                 {"g", 1073741824.0},
                 {"gb", 1073741824.0},
                 {"gib", 1073741824.0}};
    for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
        if (!strcasecmp(u, units[i].unit)) {
            *bytes = (long long)(v * units[i].scale);
            return 0;
        }
    }
    *why = "expected a size such as 256m, 1g or a number of bytes";
    return -1;
}

int
topo_check_ip(const char *s, int allow_none, const char **why)
{
    if (allow_none && !strcmp(s, "none"))
        return 0;
    char buf[64];
    const char *slash = strchr(s, '/');
    size_t n = slash ? (size_t)(slash - s) : strlen(s);
    if (n >= sizeof buf)
        goto bad;
    memcpy(buf, s, n);
    buf[n] = '\0';
    struct in_addr a;
    if (inet_pton(AF_INET, buf, &a) != 1)
        goto bad;
    if (slash) {
        char *end;
        long len = strtol(slash + 1, &end, 10);
        if (!slash[1] || *end || len < 0 || len > 32) {
            *why = "the prefix length after '/' must be 0..32";
            return -1;
        }
    }
    return 0;
bad:
    *why = allow_none ? "expected an IPv4 address such as 10.0.0.1/24 (or none)"
                      : "expected an IPv4 address such as 10.0.0.1/24";
    return -1;
}

int
topo_check_mac(const char *s, const char **why)
{
    unsigned b[6];
    char tail;
    if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1],
                                  &b[2], &b[3], &b[4], &b[5], &tail) != 6) {
        *why = "expected a MAC address such as 00:00:00:00:00:01";
        return -1;
    }
    for (int i = 0; i < 17; i++) {
        if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i])) {
            *why = "expected a MAC address such as 00:00:00:00:00:01";
            return -1;
        }
    }
    if (b[0] & 1) {
        *why = "a multicast MAC address (lowest bit of the first byte set) "
               "cannot be an interface's address";
        return -1;
    }
    return 0;
}

int
topo_check_node_name(const char *s, const char **why)
{
    size_t n = strlen(s);
    if (n == 0) {
        *why = "a node name cannot be empty";
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '_') {
            *why = "a node name uses only letters, digits and '_'";
            return -1;
        }
    }
    if (n > 10) {
        *why = "a node name has at most 10 characters (interface names "
               "'<node>-eth<N>' must fit in 15)";
        return -1;
    }
    return 0;
}

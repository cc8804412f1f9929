/* router.c - BMv2's performance benchmark program (mininet/simple_router.json)
 * with its stress_test_commands.txt applied through the runtime CLI
 * (cli_exec), on an in-process switch core: h1 (port 1, 10.0.0.10) and h2
 * (port 2, 10.0.1.10) reach each other with MACs rewritten, TTL decremented
 * and a valid IPv4 checksum; other destinations are dropped.
 *
 *   router CORPUS_DIR     prints PASS:/FAIL: lines */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli.h"
#include "lib/strbuf.h"
#include "switch/sw.h"

static int
csum_ok(const uint8_t *ip)
{
    uint32_t s = 0;
    for (int i = 0; i < 20; i += 2)
        s += (uint32_t)(ip[i] << 8 | ip[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return s == 0xffff;
}

static void
frame(uint8_t *f, int from, int to_host)
{
    static const uint8_t base[42] = {
        0,    0xaa, 0xbb, 0,  0, 0,  0,    4,    0,    0,    0, 0, 0x08, 0x00,
        0x45, 0,    0,    28, 0, 1,  0,    0,    64,   17,   0, 0, 10,   0,
        0,    10,   10,   0,  1, 10, 0x04, 0xd2, 0x16, 0x2e, 0, 8, 0,    0};
    memcpy(f, base, sizeof base);
    f[28] = (uint8_t)from; /* 10.0.<from>.10 */
    f[32] = (uint8_t)to_host;
    uint32_t s = 0;
    for (int i = 14; i < 34; i += 2)
        s += (uint32_t)(f[i] << 8 | f[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    f[24] = (uint8_t)(~s >> 8);
    f[25] = (uint8_t)~s;
}

int
main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    char path[4096], cpath[4096];
    snprintf(path, sizeof path, "%s/bmv2/mininet/simple_router.json", argv[1]);
    snprintf(cpath, sizeof cpath, "%s/bmv2/mininet/stress_test_commands.txt",
             argv[1]);
    struct err e = {0};
    struct sw *sw = sw_new(path, NULL, &e);
    if (!sw) {
        printf("FAIL: simple_router load (%s)\n", e.msg);
        return 1;
    }
    struct cli *cli = cli_new(sw);
    FILE *f = fopen(cpath, "r");
    char line[1024];
    int bad = 0, fails = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        struct strbuf out = STRBUF_INIT;
        if (line[0] && cli_exec(cli, line, &out) < 0)
            bad++, printf("  %s -> %s", line, strbuf_str(&out));
        strbuf_destroy(&out);
    }
    if (f)
        fclose(f);
    if (bad)
        fails++, printf("FAIL: stress_test_commands.txt (%d refused)\n", bad);
    struct {
        uint32_t in_port;
        int from, to, want_port;
    } cases[] = {{1, 0, 1, 2}, {2, 1, 0, 1}, {1, 0, 7, -1}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        uint8_t fr[42];
        frame(fr, cases[c].from, cases[c].to);
        struct sw_pkt in = {cases[c].in_port, sizeof fr, fr}, out[4];
        size_t n = 0;
        sw_process(sw, &in, 1, out, 4, &n);
        int ok;
        if (cases[c].want_port < 0) {
            ok = n == 0;
        } else {
            uint8_t last = (uint8_t)(cases[c].want_port - 1);
            ok = n == 1 && (int)out[0].port == cases[c].want_port &&
                 out[0].data[5] == last && out[0].data[11] == last &&
                 out[0].data[1] == 4 && out[0].data[7] == 0xaa &&
                 out[0].data[22] == 63 && csum_ok(out[0].data + 14);
        }
        if (ok)
            printf("PASS: simple_router 10.0.%d.10 -> 10.0.%d.10\n",
                   cases[c].from, cases[c].to);
        else
            fails++,
                printf(
                    "FAIL: simple_router 10.0.%d.10 -> 10.0.%d.10 (%zu out)\n",
                    cases[c].from, cases[c].to, n);
    }
    cli_free(cli);
    sw_free(sw);
    return fails ? 1 : 0;
}

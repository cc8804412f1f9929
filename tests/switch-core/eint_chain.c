/* eint_chain.c - FOP4's eINT scenario on four switch cores in one process
 * (no kernel, no I/O): s1..s4 run the seed's int.json with its
 * commands_INT_s<N>.txt applied through the runtime CLI (cli_exec), wired as
 * in fop4/NOTES.md, with each VNF replaced by a wire between its two ports.
 * A UDP frame from h1 must reach h2 without INT headers, and s4 must send a
 * telemetry report (an I2E clone, encapsulated in egress and truncated) to
 * h3. commands_INT_s4.txt has a truncated line ("table_add egress.") where
 * the report encapsulation entry belongs; the test adds one.
 *
 *   eint_chain CORPUS_DIR      prints PASS:/FAIL: lines (run by programs.sh) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli.h"
#include "lib/strbuf.h"
#include "lib/util.h"
#include "switch/sw.h"

enum { H1 = -1, H2 = -2, H3 = -3 };

/* where a frame sent by switch s out of port p goes: (switch, port) or a host
 */
static void
peer(int s, uint32_t p, int *ns, uint32_t *np)
{
    static const struct {
        int s;
        uint32_t p;
        int ts;
        uint32_t tp;
    } links[] = {
        {0, 1, H1, 0}, {0, 2, 1, 1},                 /* h1-s1, s1-s2 */
        {1, 1, 0, 2},  {1, 2, 2, 1},                 /* s2-s1, s2-s3 */
        {1, 3, 1, 4},  {1, 4, 1, 3},                 /* s2-v1-s2 (wire) */
        {2, 1, 1, 2},  {2, 2, 3, 1},                 /* s3-s2, s3-s4 */
        {2, 3, 2, 4},  {2, 4, 2, 3},                 /* s3-v2-s3 (wire) */
        {3, 1, 2, 2},  {3, 2, H2, 0}, {3, 3, H3, 0}, /* s4-s3, s4-h2, s4-h3 */
    };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
        if (links[i].s == s && links[i].p == p) {
            *ns = links[i].ts;
            *np = links[i].tp;
            return;
        }
    *ns = -100;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: eint_chain CORPUS_DIR\n");
        return 2;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/fop4/eINT/int.json", argv[1]);
    struct sw *sw[4];
    struct cli *cli[4];
    int fails = 0;
    for (int i = 0; i < 4; i++) {
        struct err e = {0};
        sw[i] = sw_new(path, NULL, &e);
        if (!sw[i]) {
            printf("FAIL: eint load (%s)\n", e.msg);
            return 1;
        }
        cli[i] = cli_new(sw[i]);
        char cpath[4200];
        snprintf(cpath, sizeof cpath, "%s/fop4/eINT/commands_INT_s%d.txt",
                 argv[1], i + 1);
        FILE *f = fopen(cpath, "r");
        char line[1024];
        int bad = 0;
        while (f && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = 0;
            if (!line[0] || line[0] == '#')
                continue;
            struct strbuf out = STRBUF_INIT;
            if (cli_exec(cli[i], line, &out) < 0 &&
                strcmp(line, "table_add egress."))
                bad++, printf("  s%d: %s -> %s", i + 1, line, strbuf_str(&out));
            strbuf_destroy(&out);
        }
        if (f)
            fclose(f);
        if (i == 3) {
            /* commands_INT_s4.txt has a truncated line "table_add egress."
             * where the report encapsulation entry belongs: add one */
            struct strbuf out = STRBUF_INIT;
            if (cli_exec(
                    cli[i],
                    "table_add egress.process_int_report.tb_generate_report "
                    "do_report_encapsulation 1 => 00:00:00:00:00:04 "
                    "00:00:00:00:00:FF 10.0.0.4 10.0.0.254 1234",
                    &out) < 0)
                bad++, printf("  s4: report entry -> %s", strbuf_str(&out));
            strbuf_destroy(&out);
        }
        if (bad)
            fails++,
                printf("FAIL: eint commands s%d (%d refused)\n", i + 1, bad);
    }
    /* h1 -> h2: Ethernet / IPv4 10.0.0.1 -> 10.0.0.2 / UDP 5000 -> 5001, 32
     * bytes of payload */
    uint8_t frame[74] = {0,    0,    0,    0,    0,    2,    0,    0,    0,
                         0,    0,    1,    0x08, 0x00, 0x45, 0x00, 0x00, 0x3c,
                         0x00, 0x01, 0x00, 0x00, 0x40, 0x11, 0x00, 0x00, 10,
                         0,    0,    1,    10,   0,    0,    2,    0x13, 0x88,
                         0x13, 0x89, 0x00, 0x28, 0x00, 0x00};
    for (int i = 42; i < 74; i++)
        frame[i] = (uint8_t)i;
    uint32_t sum = 0;
    for (int i = 14; i < 34; i += 2)
        sum += (uint32_t)(frame[i] << 8 | frame[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    frame[24] = (uint8_t)(~sum >> 8);
    frame[25] = (uint8_t)~sum;

    /* frames in flight: (switch, port, bytes) */
    struct fl {
        int s;
        uint32_t port, len;
        uint8_t data[2048];
    } *q = calloc(64, sizeof *q);
    int nq = 1, got_h2 = 0, got_h3 = 0, hops = 0;
    size_t h2_len = 0, h3_len = 0;
    uint8_t h2[2048], h3[2048];
    q[0].s = 0;
    q[0].port = 1;
    q[0].len = sizeof frame;
    memcpy(q[0].data, frame, sizeof frame);
    while (nq > 0 && hops < 64) {
        struct fl cur = q[--nq];
        hops++;
        struct sw_pkt in = {cur.port, cur.len, cur.data}, out[16];
        size_t n = 0;
        sw_process(sw[cur.s], &in, 1, out, 16, &n);
        for (size_t k = 0; k < n; k++) {
            int ns;
            uint32_t np = 0;
            peer(cur.s, out[k].port, &ns, &np);
            if (ns == H2) {
                got_h2++;
                h2_len = out[k].len;
                memcpy(h2, out[k].data, MIN(out[k].len, sizeof h2));
            } else if (ns == H3) {
                got_h3++;
                h3_len = out[k].len;
                memcpy(h3, out[k].data, MIN(out[k].len, sizeof h3));
            } else if (ns >= 0 && nq < 64 && out[k].len <= sizeof q[0].data) {
                q[nq].s = ns;
                q[nq].port = np;
                q[nq].len = out[k].len;
                memcpy(q[nq].data, out[k].data, out[k].len);
                nq++;
            }
        }
    }
    if (got_h2 == 1 && h2_len == sizeof frame &&
        !memcmp(h2 + 42, frame + 42, 32) && h2[23] == 0x11)
        printf("PASS: eint h1 -> h2 (UDP arrives, INT removed, %zu bytes)\n",
               h2_len);
    else
        fails++, printf("FAIL: eint h1 -> h2 (%d frames, %zu bytes)\n", got_h2,
                        h2_len);
    /* the report: IPv4 to the collector 10.0.0.254, UDP to port 1234,
     * truncated by the program to its IPv4 length, carrying the telemetry of
     * the original packet (its IPv4 10.0.0.1 -> 10.0.0.2 inside) */
    static const uint8_t inner[8] = {10, 0, 0, 1, 10, 0, 0, 2};
    int has_inner = 0;
    for (size_t i = 42; i + 8 <= h3_len; i++)
        has_inner |= !memcmp(h3 + i, inner, 8);
    if (got_h3 >= 1 && h3[12] == 0x08 && h3[13] == 0 && h3[23] == 17 &&
        h3[30] == 10 && h3[33] == 254 && (h3[36] << 8 | h3[37]) == 1234 &&
        h3_len == 14 + (size_t)(h3[16] << 8 | h3[17]) && has_inner)
        printf("PASS: eint report to h3 (%zu bytes, UDP to 10.0.0.254:1234)\n",
               h3_len);
    else
        fails++, printf("FAIL: eint report to h3 (none)\n");
    for (int i = 0; i < 4; i++) {
        cli_free(cli[i]);
        sw_free(sw[i]);
    }
    free(q);
    return fails ? 1 : 0;
}

/* lb.c - FOP4's load balancers (load_balancer_RR, load_balancer_hash) on one
 * in-process switch core with the seed's command.txt applied through the
 * runtime CLI (cli_exec). TCP flows from h1 (port 4) to the virtual IP
 * 192.168.1.100 must go to d2 (port 2, 192.168.1.200) or d3 (port 3,
 * 192.168.1.201) with the destination rewritten; a flow keeps its server; RR
 * alternates new flows, hash spreads them over both servers.
 *
 *   lb CORPUS_DIR RR|hash     prints PASS:/FAIL: lines */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli.h"
#include "lib/strbuf.h"
#include "switch/sw.h"

static void
tcp_frame(uint8_t *f, uint16_t sport)
{
    static const uint8_t hdr[54] = {0,    0,    0,  0,   0,    1,
                                    0,    0,    0,  0,   0,    4,
                                    0x08, 0x00, /* eth */
                                    0x45, 0,    0,  40,  0,    1,
                                    0,    0,    64, 6,   0,    0,
                                    192,  168,  1,  104, /* ipv4 */
                                    192,  168,  1,  100, 0,    0,
                                    0,    80,   0,  0,   0,    1,
                                    0,    0,    0,  0,   0x50, 0x02,
                                    0xff, 0xff, /* tcp */
                                    0,    0,    0,  0};
    memcpy(f, hdr, sizeof hdr);
    f[34] = (uint8_t)(sport >> 8);
    f[35] = (uint8_t)sport;
}

int
main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: lb CORPUS_DIR RR|hash\n");
        return 2;
    }
    char path[4096], cpath[4096];
    snprintf(path, sizeof path,
             "%s/fop4/load_balancer_%s/load_balancer_%s.p4c.json", argv[1],
             argv[2], argv[2]);
    snprintf(cpath, sizeof cpath, "%s/fop4/load_balancer_%s/command.txt",
             argv[1], argv[2]);
    struct err e = {0};
    struct sw *sw = sw_new(path, NULL, &e);
    if (!sw) {
        printf("FAIL: lb %s load (%s)\n", argv[2], e.msg);
        return 1;
    }
    struct cli *cli = cli_new(sw);
    FILE *f = fopen(cpath, "r");
    char line[1024];
    int bad = 0, fails = 0;
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        struct strbuf out = STRBUF_INIT;
        if (cli_exec(cli, line, &out) < 0)
            bad++, printf("  %s -> %s", line, strbuf_str(&out));
        strbuf_destroy(&out);
    }
    if (f)
        fclose(f);
    if (bad)
        fails++, printf("FAIL: lb %s commands (%d refused)\n", argv[2], bad);
    int per_server[4] = {0}, sticky = 1, rewritten = 1, last = -1,
        alternates = 1;
    for (int flow = 0; flow < 8; flow++) {
        int first = -1;
        for (int pkt = 0; pkt < 3; pkt++) {
            uint8_t frame[54];
            tcp_frame(frame, (uint16_t)(40000 + flow * 7));
            struct sw_pkt in = {4, sizeof frame, frame}, out[4];
            size_t n = 0;
            sw_process(sw, &in, 1, out, 4, &n);
            if (n != 1 || (out[0].port != 2 && out[0].port != 3)) {
                sticky = 0;
                continue;
            }
            int srv = (int)out[0].port;
            uint8_t want = srv == 2 ? 200 : 201;
            if (out[0].data[33] != want)
                rewritten = 0;
            if (first < 0) {
                first = srv;
                per_server[srv]++;
                if (last == srv)
                    alternates = 0;
                last = srv;
            } else if (srv != first) {
                sticky = 0;
            }
        }
    }
    if (sticky && rewritten)
        printf("PASS: lb %s flows stick to a server, destination rewritten\n",
               argv[2]);
    else
        fails++, printf("FAIL: lb %s (sticky %d, rewritten %d)\n", argv[2],
                        sticky, rewritten);
    if (per_server[2] && per_server[3] && (argv[2][0] != 'R' || alternates))
        printf("PASS: lb %s spreads flows (d2 %d, d3 %d)\n", argv[2],
               per_server[2], per_server[3]);
    else
        fails++, printf("FAIL: lb %s spread (d2 %d, d3 %d, alternating %d)\n",
                        argv[2], per_server[2], per_server[3], alternates);
    cli_free(cli);
    sw_free(sw);
    return fails ? 1 : 0;
}

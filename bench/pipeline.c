/* bench/pipeline.c - the switch core alone: parser -> tables -> deparser on
 * BMv2's simple_router.json (the program of BMv2's performance benchmark), no
 * I/O. Installs the entries of BMv2's stress_test_commands.txt through the
 * control API, then pushes 64-byte UDP frames in batches through sw_process()
 * on one core and prints packets per CPU-second of this thread. A second run
 * adds N extra LPM prefixes of mixed lengths (a routing table that is not
 * trivial).
 *
 *   pipeline JSON [SECONDS] [EXTRA_PREFIXES] [BATCHES]
 * With BATCHES it only pushes that many batches of 32 frames (for counting
 * instructions under callgrind, a figure the machine's load cannot blur). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch/sw.h"

/* CPU time of this thread: "per core" figures that do not depend on what else
 * the (shared) machine is doing. */
static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
must(int rc, const struct err *e, const char *what)
{
    if (rc) {
        fprintf(stderr, "pipeline: %s: %s\n", what, e->msg);
        exit(1);
    }
}

static void
add_lpm(struct sw *sw, uint32_t addr, int plen, uint32_t nhop, uint16_t port)
{
    struct err e = {0};
    uint8_t k[4], a0[4], a1[2] = {(uint8_t)(port >> 8), (uint8_t)port};
    uint32_t n = htonl(addr), h = htonl(nhop);
    memcpy(k, &n, 4);
    memcpy(a0, &h, 4);
    struct sw_match_param m = {
        .kind = SW_MATCH_LPM, .key = {k, 4}, .prefix_len = plen};
    struct sw_bytes args[2] = {{a0, 4}, {a1, 2}};
    struct sw_action_ref ar = {
        .kind = SW_REF_ACTION, .action = "set_nhop", .args = args, .n_args = 2};
    uint64_t hd;
    int rc = sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &hd, &e);
    if (rc && rc != -17) /* duplicates of random prefixes are fine */
        must(rc, &e, "table_add ipv4_lpm");
}

/* The entries of BMv2's stress_test_commands.txt. */
static void
install(struct sw *sw)
{
    struct err e = {0};
    struct sw_action_ref drop = {.kind = SW_REF_ACTION, .action = "_drop"};
    must(sw_table_set_default(sw, "send_frame", &drop, &e), &e, "default");
    must(sw_table_set_default(sw, "forward", &drop, &e), &e, "default");
    must(sw_table_set_default(sw, "ipv4_lpm", &drop, &e), &e, "default");
    for (int i = 0; i < 2; i++) {
        uint8_t port[2] = {0, (uint8_t)(i + 1)},
                mac[6] = {0, 0xaa, 0xbb, 0, 0, (uint8_t)i};
        struct sw_match_param m = {.kind = SW_MATCH_EXACT, .key = {port, 2}};
        struct sw_bytes a = {mac, 6};
        struct sw_action_ref ar = {.kind = SW_REF_ACTION,
                                   .action = "rewrite_mac",
                                   .args = &a,
                                   .n_args = 1};
        uint64_t h;
        must(sw_table_add(sw, "send_frame", &m, 1, 0, &ar, &h, &e), &e,
             "send_frame");
        uint8_t ip[4] = {10, 0, (uint8_t)i, 10},
                dmac[6] = {0, 4, 0, 0, 0, (uint8_t)i};
        struct sw_match_param m2 = {.kind = SW_MATCH_EXACT, .key = {ip, 4}};
        struct sw_bytes a2 = {dmac, 6};
        struct sw_action_ref ar2 = {.kind = SW_REF_ACTION,
                                    .action = "set_dmac",
                                    .args = &a2,
                                    .n_args = 1};
        must(sw_table_add(sw, "forward", &m2, 1, 0, &ar2, &h, &e), &e,
             "forward");
        add_lpm(sw, (10u << 24) | ((uint32_t)i << 8) | 10, 32,
                (10u << 24) | ((uint32_t)i << 8) | 10, (uint16_t)(i + 1));
    }
}

static double
run(struct sw *sw, double secs, uint64_t *delivered)
{
    /* h1 (10.0.0.10, port 1) -> h2 (10.0.1.10): 64-byte UDP frames */
    static const uint8_t frame[64] = {
        0x00, 0xaa, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
        0x00, 0x08, 0x00, 0x45, 0x00, 0x00, 0x32, 0x00, 0x01, 0x00, 0x00,
        0x40, 0x11, 0x64, 0xb8, 0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x01,
        0x0a, 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x1e, 0x00, 0x00};
    enum { BATCH = 32 };
    struct sw_pkt in[BATCH], out[BATCH * 2];
    for (int i = 0; i < BATCH; i++)
        in[i] = (struct sw_pkt){.port = 1, .len = 64, .data = frame};
    uint64_t n = 0, got = 0;
    double t0 = now_s(), t;
    do {
        for (int r = 0; r < 256; r++) {
            size_t nout;
            sw_process(sw, in, BATCH, out, BATCH * 2, &nout);
            got += nout;
            n += BATCH;
        }
        t = now_s();
    } while (t - t0 < secs);
    *delivered = got;
    return (double)n / (t - t0);
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(
            stderr,
            "usage: pipeline simple_router.json [SECONDS] [EXTRA_PREFIXES]\n");
        return 2;
    }
    double secs = argc > 2 ? atof(argv[2]) : 2.0;
    int extra = argc > 3 ? atoi(argv[3]) : 1000;
    struct err e = {0};
    struct sw *sw = sw_new(argv[1], NULL, &e);
    if (!sw) {
        fprintf(stderr, "pipeline: %s\n", e.msg);
        return 1;
    }
    install(sw);
    uint64_t got;
    if (argc > 4) {
        /* fixed work for instruction counting (valgrind --tool=callgrind):
         * N batches of 32 frames, nothing else */
        static const uint8_t frame[64] = {
            0x00, 0xaa, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
            0x00, 0x08, 0x00, 0x45, 0x00, 0x00, 0x32, 0x00, 0x01, 0x00, 0x00,
            0x40, 0x11, 0x64, 0xb8, 0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x01,
            0x0a, 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x1e, 0x00, 0x00};
        struct sw_pkt in[32], out[64];
        for (int i = 0; i < 32; i++)
            in[i] = (struct sw_pkt){.port = 1, .len = 64, .data = frame};
        long batches = atol(argv[4]);
        for (long r = 0; r < batches; r++) {
            size_t nout;
            sw_process(sw, in, 32, out, 64, &nout);
        }
        sw_free(sw);
        return 0;
    }
    /* best of three: the machine is shared, interference only slows down */
    double pps = 0;
    for (int r = 0; r < 3; r++) {
        double x = run(sw, secs / 3, &got);
        if (x > pps)
            pps = x;
    }
    struct sw_stats st;
    sw_get_stats(sw, &st);
    printf("pipeline simple_router (stress_test_commands entries): %.2f Mpps "
           "per core (best of 3), %.0f ns/packet, delivered %.1f%%\n",
           pps / 1e6, 1e9 / pps, 100.0 * (double)st.tx / (double)st.rx);
    srand(1);
    for (int i = 0; i < extra; i++)
        add_lpm(sw, (uint32_t)rand() << 1, 8 + rand() % 25, 0x0a00000a, 1);
    pps = 0;
    for (int r = 0; r < 3; r++) {
        double x = run(sw, secs / 3, &got);
        if (x > pps)
            pps = x;
    }
    printf("pipeline simple_router + %d random LPM prefixes:        %.2f Mpps "
           "per core, %.0f ns/packet\n",
           extra, pps / 1e6, 1e9 / pps);
    printf("target: >= 5 Mpps per core (issue 3)\n");
    sw_free(sw);
    return 0;
}

/* fuzz_packet.c - frames through the switch pipeline (parser, tables,
 * actions, deparser, traffic manager, egress) of real p4c programs from the
 * shared corpus, with their table entries applied through the command
 * language as FOP4 and BMv2 users apply them.
 *
 * Input: byte 0 picks the program, byte 1 the ingress port (0..15), the rest
 * is the frame. The switches live for the whole run (registers and counters
 * keep their values, as in a running switch). Skips when the corpus is absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/cli.h"
#include "fuzz.h"
#include "lib/util.h"
#include "switch/sw.h"

static const struct {
    const char *json, *commands;
} programs[] = {
    {"bmv2/mininet/simple_router.json", NULL},
    {"fop4/eINT/int.json", "fop4/eINT/commands_INT_s1.txt"},
    {"fop4/load_balancer_hash/load_balancer_hash.p4c.json",
     "fop4/load_balancer_hash/command.txt"},
    {"stf/v1model-special-ops-bmv2.p4c.json", NULL},
    {"stf/ipv6-switch-ml-bmv2.p4c.json", NULL},
};
#define N_PROGRAMS (sizeof programs / sizeof programs[0])

static struct sw *switches[N_PROGRAMS];
static size_t n_switches;

static uint64_t
fixed_clock(void *ctx)
{
    static uint64_t t;
    return t += 10;
}

/* Runs every line of the command file at rel on sw (output discarded). */
static void
apply_commands(struct sw *sw, const char *rel)
{
    char *path = fuzz_corpus_path(rel);
    char *text = path ? read_file(path, NULL) : NULL;
    free(path);
    if (!text)
        return;
    struct cli *c = cli_new(sw);
    struct strbuf out = STRBUF_INIT;
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        cli_exec(c, l, &out);
        strbuf_reset(&out);
    }
    strbuf_destroy(&out);
    cli_free(c);
    free(text);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (size_t i = 0; i < N_PROGRAMS; i++) {
        char *path = fuzz_corpus_path(programs[i].json);
        if (!path)
            continue;
        struct sw_opts o;
        sw_opts_init(&o);
        o.pool_size = 256;
        o.clock = fixed_clock;
        struct err e = {0};
        struct sw *sw = sw_new(path, &o, &e);
        if (!sw)
            fprintf(stderr, "fuzz_packet: %s: %s\n", path, e.msg);
        free(path);
        if (!sw)
            continue;
        if (programs[i].commands)
            apply_commands(sw, programs[i].commands);
        /* simple_router's entries, written here (its file is a stress test) */
        if (i == 0) {
            static const char *const cmds[] = {
                "table_set_default send_frame _drop",
                "table_set_default forward _drop",
                "table_set_default ipv4_lpm _drop",
                "table_add send_frame rewrite_mac 1 => 00:aa:bb:00:00:00",
                "table_add send_frame rewrite_mac 2 => 00:aa:bb:00:00:01",
                "table_add forward set_dmac 10.0.0.10 => 00:04:00:00:00:00",
                "table_add forward set_dmac 10.0.1.10 => 00:04:00:00:00:01",
                "table_add ipv4_lpm set_nhop 10.0.0.0/24 => 10.0.0.10 1",
                "table_add ipv4_lpm set_nhop 10.0.1.0/24 => 10.0.1.10 2",
            };
            struct cli *c = cli_new(sw);
            struct strbuf out = STRBUF_INIT;
            for (size_t k = 0; k < sizeof cmds / sizeof cmds[0]; k++)
                cli_exec(c, cmds[k], &out);
            strbuf_destroy(&out);
            cli_free(c);
        }
        switches[n_switches++] = sw;
    }
    if (!n_switches)
        fuzz_skip = "no corpus program found (set FOP4_SHARED)";
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!n_switches || size < 2 || size > 16384)
        return 0;
    struct sw *sw = switches[data[0] % n_switches];
    /* The exact frame bytes in their own buffer, so reads past the frame
     * are caught. */
    size_t len = size - 2;
    uint8_t *frame = malloc(len ? len : 1);
    if (!frame)
        abort();
    memcpy(frame, data + 2, len);
    struct sw_pkt in = {.port = data[1] % 16, .len = (uint32_t)len,
                        .data = frame};
    struct sw_pkt out[64];
    size_t n_out;
    sw_process(sw, &in, 1, out, 64, &n_out);
    for (int i = 0; i < 64 && sw_poll(sw, out, 64, &n_out) > 0; i++)
        ;
    free(frame);
    return 0;
}

/* test_fuzz_cli.c - the command language and the STF runner never crash:
 * thousands of command lines built from the language's words and values,
 * mutated byte by byte, go through cli_exec() on real switches (simple_router,
 * an action-selector program, eINT's int.json); corpus STF files with lines
 * dropped, duplicated, cut or mutated go through stf_run(). Every line must get
 * an answer (or a clean refusal), and the switch must still take a good entry
 * and forward packets afterwards. Fixed seed, so a failure reproduces. Needs
 * the shared corpus ($FOP4_SHARED); prints SKIP without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/cli.h"
#include "control/stf.h"
#include "switch/sw.h"
#include "test.h"

static unsigned seed = 12345;

static unsigned
rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static const char *const cmds[] = {"table_add",
                                   "table_set_default",
                                   "table_modify",
                                   "table_delete",
                                   "table_dump",
                                   "table_dump_entry",
                                   "table_dump_entry_from_key",
                                   "table_num_entries",
                                   "table_clear",
                                   "table_info",
                                   "table_reset_default",
                                   "act_prof_create_member",
                                   "act_prof_create_group",
                                   "act_prof_add_member_to_group",
                                   "act_prof_dump",
                                   "act_prof_dump_member",
                                   "table_indirect_add",
                                   "table_indirect_add_with_group",
                                   "table_indirect_set_default",
                                   "mc_mgrp_create",
                                   "mc_node_create",
                                   "mc_node_associate",
                                   "mc_node_update",
                                   "mc_node_destroy",
                                   "mc_dump",
                                   "mc_set_lag_membership",
                                   "mirroring_add",
                                   "mirroring_add_mc",
                                   "mirroring_get",
                                   "mirroring_delete",
                                   "counter_read",
                                   "counter_write",
                                   "counter_reset",
                                   "meter_set_rates",
                                   "meter_get_rates",
                                   "meter_array_set_rates",
                                   "register_read",
                                   "register_write",
                                   "register_reset",
                                   "pvs_add",
                                   "pvs_get",
                                   "set_queue_depth",
                                   "set_queue_rate",
                                   "show_tables",
                                   "show_actions",
                                   "switch_info",
                                   "reset_state",
                                   "help",
                                   "port_remove",
                                   "show_ports"};

static const char *const words[] = {
    "ipv4_lpm",
    "forward",
    "send_frame",
    "set_nhop",
    "_drop",
    "ecmp_group",
    "ecmp_action_profile",
    "set_egress_port",
    "ingress.table0_control.table0",
    "init_metadata",
    "int_set_source",
    "=>",
    "&&&",
    "->",
    "/",
    "|",
    "0",
    "1",
    "2",
    "-1",
    "511",
    "65535",
    "4294967296",
    "0x",
    "0x1ff",
    "0b101",
    "0o7",
    "10.0.0.1",
    "10.0.0.1/24",
    "10.0.0.1/40",
    "0&&&0",
    "0x0800&&&0xFFFF",
    "1->5",
    "5->1",
    "00:11:22:33:44:55",
    "::1",
    "1:1",
    "2.5:10",
    "*",
    "99999999999999999999999999999999999999999999",
    "%s",
    "\\",
    "\"",
    "#"};

static void
random_line(char *buf, size_t cap)
{
    size_t o = (size_t)snprintf(buf, cap, "%s",
                                cmds[rnd() % (sizeof cmds / sizeof *cmds)]);
    int n = (int)(rnd() % 14);
    for (int i = 0; i < n && o + 64 < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, " %s",
                              words[rnd() % (sizeof words / sizeof *words)]);
    /* byte mutations: flip, cut, insert junk */
    size_t len = strlen(buf);
    switch (rnd() % 5) {
    case 0:
        if (len)
            buf[rnd() % len] ^= (char)(1u << (rnd() % 7));
        break;
    case 1:
        if (len)
            buf[rnd() % len] = '\0';
        break;
    case 2:
        if (len + 2 < cap) {
            size_t at = len ? rnd() % len : 0;
            memmove(buf + at + 1, buf + at, len - at + 1);
            buf[at] = (char)(rnd() % 255 + 1);
        }
        break;
    default:
        break;
    }
}

static void
fuzz_program(const char *json, int lines)
{
    struct err e = {0};
    struct sw *sw = sw_new(json, NULL, &e);
    CHECK(sw != NULL);
    if (!sw) {
        printf("  cannot load %s: %s\n", json, e.msg);
        return;
    }
    struct cli *c = cli_new(sw);
    struct strbuf out = STRBUF_INIT;
    char line[1024];
    for (int i = 0; i < lines; i++) {
        random_line(line, sizeof line);
        strbuf_reset(&out);
        cli_exec(c, line, &out);
    }
    /* still alive and usable */
    strbuf_reset(&out);
    cli_exec(c, "switch_info", &out);
    CHECK(strstr(strbuf_str(&out), "device_id") != NULL);
    static const uint8_t frame[64] = {0, 0xaa, 0xbb, 0, 0, 0,    0, 4, 0,
                                      0, 0,    0,    8, 0, 0x45, 0, 0, 0x32};
    struct sw_pkt in = {1, sizeof frame, frame}, outp[16];
    size_t n;
    CHECK(sw_process(sw, &in, 1, outp, 16, &n) == 0);
    strbuf_destroy(&out);
    cli_free(c);
    sw_free(sw);
}

static char shared[512];

static void
test_fuzz_commands(void)
{
    char p[700];
    snprintf(p, sizeof p, "%s/corpus/bmv2/mininet/simple_router.json", shared);
    fuzz_program(p, 20000);
    snprintf(p, sizeof p,
             "%s/corpus/bmv2/targets/simple_switch/tests/CLI_tests/testdata/"
             "indirect_res.json",
             shared);
    fuzz_program(p, 6000);
    snprintf(p, sizeof p, "%s/corpus/fop4/eINT/int.json", shared);
    fuzz_program(p, 6000);
}

/* Writes a mutated copy of an STF file and runs it: any outcome but a crash. */
static void
fuzz_stf(const char *dir, const char *name, int rounds)
{
    char json[700], stf[700];
    snprintf(json, sizeof json, "%s/%s.p4c.json", dir, name);
    snprintf(stf, sizeof stf, "%s/%s.stf", dir, name);
    size_t len;
    char *text = read_file(stf, &len);
    if (!text)
        return;
    char tmp[] = "/tmp/fop4-fuzz-stf.XXXXXX";
    int fd = mkstemp(tmp);
    CHECK(fd >= 0);
    if (fd < 0) {
        free(text);
        return;
    }
    close(fd);
    for (int r = 0; r < rounds; r++) {
        FILE *f = fopen(tmp, "w");
        for (char *l = text; l && *l;) {
            char *nl = strchr(l, '\n');
            size_t n = nl ? (size_t)(nl - l) : strlen(l);
            unsigned op = rnd() % 10;
            if (op == 0) {        /* drop the line */
            } else if (op == 1) { /* cut it */
                fprintf(f, "%.*s\n", (int)(n ? rnd() % n : 0), l);
            } else if (op == 2 && n) { /* mutate one byte */
                char *copy = strndup(l, n);
                copy[rnd() % n] = "*$:()x ,0#"[rnd() % 10];
                fprintf(f, "%s\n", copy);
                free(copy);
            } else if (op == 3) { /* duplicate */
                fprintf(f, "%.*s\n%.*s\n", (int)n, l, (int)n, l);
            } else {
                fprintf(f, "%.*s\n", (int)n, l);
            }
            l = nl ? nl + 1 : NULL;
        }
        fclose(f);
        struct strbuf rep = STRBUF_INIT;
        struct err e = {0};
        int rc = stf_run(json, tmp, NULL, &rep, &e);
        CHECK(rc == 0 || rc == 1 || rc < 0);
        CHECK(rc >= 0 || err_is_set(&e));
        strbuf_destroy(&rep);
    }
    unlink(tmp);
    free(text);
}

static void
test_fuzz_stf(void)
{
    char d[700];
    snprintf(d, sizeof d, "%s/corpus/stf", shared);
    static const char *const names[] = {
        "v1model-special-ops-bmv2", "table-entries-ternary-bmv2",
        "table-entries-lpm-bmv2", "issue2153-bmv2", "ipv6-switch-ml-bmv2"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        fuzz_stf(d, names[i], 40);
}

int
main(void)
{
    const char *s = getenv("FOP4_SHARED");
    if (getenv("FUZZ_SEED")) /* explore other inputs; the default reproduces */
        seed = (unsigned)strtoul(getenv("FUZZ_SEED"), NULL, 10);
    snprintf(shared, sizeof shared, "%s", s ? s : "../shared");
    char probe[700];
    snprintf(probe, sizeof probe, "%s/corpus/bmv2/mininet/simple_router.json",
             shared);
    if (access(probe, R_OK) != 0) {
        printf("SKIP: test_fuzz_cli (no corpus at %s)\n", shared);
        return 77;
    }
    RUN_TEST(test_fuzz_commands);
    RUN_TEST(test_fuzz_stf);
    TEST_EXIT();
}

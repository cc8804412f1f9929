/* fuzz_cli.c - command lines (the simple_switch_CLI language) through
 * cli_exec() on a switch loaded with a real p4c program from the shared
 * corpus; afterwards the switch must still take a frame.
 *
 * Input: byte 0 picks the program, the rest is a command file (one command a
 * line). Every input starts from a freshly loaded switch, so a crash
 * reproduces from its input alone. Skips when the corpus is absent.
 *
 * Commands such as serialize_state FILE and write_config_to_file FILE write
 * files named by the input: the harness works in a scratch directory of its
 * own (removed at exit), so they never land in the checkout. Callers pass
 * absolute paths (fuzz/run.sh, tests/fuzz/replay.sh). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/cli.h"
#include "fuzz.h"
#include "lib/util.h"
#include "switch/sw.h"

static const char *const programs[] = {
    "bmv2/mininet/simple_router.json",
    "fop4/eINT/int.json",
    "fop4/load_balancer_hash/load_balancer_hash.p4c.json",
    "bmv2/targets/simple_switch/tests/CLI_tests/testdata/indirect_res.json",
    "bmv2/targets/simple_switch_grpc/tests/testdata/meter.json",
    "bmv2/tests/testdata/parse_vset.json",
};
#define N_PROGRAMS (sizeof programs / sizeof programs[0])

static char scratch[] = "/tmp/fop4-fuzz-cli.XXXXXX";

/* Removes the scratch directory and the files commands wrote into it. */
static void
remove_scratch(void)
{
    DIR *d = opendir(scratch);
    if (d) {
        struct dirent *de;
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                unlinkat(dirfd(d), de->d_name, 0);
        closedir(d);
    }
    rmdir(scratch);
}

static char *json[N_PROGRAMS];
static size_t json_len[N_PROGRAMS];
static size_t n_json;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (size_t i = 0; i < N_PROGRAMS; i++) {
        char *path = fuzz_corpus_path(programs[i]);
        if (!path)
            continue;
        json[n_json] = read_file(path, &json_len[n_json]);
        free(path);
        if (!json[n_json])
            continue;
        struct err e = {0};
        struct sw *sw = sw_new_from_buffer(json[n_json], json_len[n_json],
                                           programs[i], NULL, &e);
        if (!sw) {
            fprintf(stderr, "fuzz_cli: %s\n", e.msg);
            free(json[n_json]);
            continue;
        }
        sw_free(sw);
        n_json++;
    }
    if (!n_json)
        fuzz_skip = "no corpus program found (set FOP4_SHARED)";
    else if (mkdtemp(scratch) && chdir(scratch) == 0)
        atexit(remove_scratch);
    else
        fuzz_skip = "cannot make a scratch directory in /tmp";
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!n_json || size < 1 || size > 16384)
        return 0;
    size_t k = data[0] % n_json;
    struct sw_opts o;
    sw_opts_init(&o);
    o.pool_size = 64;
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(json[k], json_len[k], "fuzz.json", &o, &e);
    if (!sw)
        abort(); /* a corpus program that loaded at start must load */
    struct cli *c = cli_new(sw);
    struct strbuf out = STRBUF_INIT;
    char *text = fuzz_cstr(data + 1, size - 1);
    for (char *save = NULL, *l = strtok_r(text, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save)) {
        int end = cli_exec(c, l, &out);
        strbuf_reset(&out);
        if (end)
            break;
    }
    static const uint8_t frame[64] = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1,
                                      0x08, 0x00, 0x45, 0, 0, 50};
    struct sw_pkt in = {.port = 1, .len = sizeof frame, .data = frame};
    struct sw_pkt pout[64];
    size_t n_out;
    sw_process(sw, &in, 1, pout, 64, &n_out);
    for (int i = 0; i < 16 && sw_poll(sw, pout, 64, &n_out) > 0; i++)
        ;
    free(text);
    strbuf_destroy(&out);
    cli_free(c);
    sw_free(sw);
    return 0;
}

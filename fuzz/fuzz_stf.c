/* fuzz_stf.c - STF text (p4c's packet-test format) through the STF parser
 * and runner (stf_run) on switches loaded with p4c programs of the shared
 * corpus: table entries by suffix names, ternary "0x12**" values, packets,
 * expectations, BMv2 direct commands.
 *
 * Input: byte 0 picks the program, the rest is the STF file (written to a
 * private temporary file, as stf_run reads files). Skips when the corpus is
 * absent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/stf.h"
#include "fuzz.h"

static const char *const programs[] = {
    "stf/key-bmv2.p4c.json",
    "stf/ipv6-switch-ml-bmv2.p4c.json",
    "stf/v1model-special-ops-bmv2.p4c.json",
};
#define N_PROGRAMS (sizeof programs / sizeof programs[0])

static char *json[N_PROGRAMS];
static size_t n_json;
static char stf_path[64];

static void
cleanup(void)
{
    if (stf_path[0])
        unlink(stf_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    for (size_t i = 0; i < N_PROGRAMS; i++)
        if ((json[n_json] = fuzz_corpus_path(programs[i])))
            n_json++;
    if (!n_json) {
        fuzz_skip = "no corpus program found (set FOP4_SHARED)";
        return 0;
    }
    snprintf(stf_path, sizeof stf_path, "/tmp/fop4-fuzz-stf-%d.stf",
             (int)getpid());
    atexit(cleanup);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!n_json || size < 1 || size > 16384)
        return 0;
    FILE *f = fopen(stf_path, "wb");
    if (!f)
        abort();
    fwrite(data + 1, 1, size - 1, f);
    fclose(f);
    struct stf_opts o = {.verbose = 0, .log = fuzz_devnull()};
    struct strbuf report = STRBUF_INIT;
    struct err e = {0};
    stf_run(json[data[0] % n_json], stf_path, &o, &report, &e);
    strbuf_destroy(&report);
    return 0;
}

/* fuzz_p4.c - P4_16 source through the whole compiler, in process: lexer,
 * parser, checker, BMv2 lowering, BMv2 JSON and P4Info emitters.
 *
 * The input is the user's program; it follows core.p4 and v1model.p4, which
 * the C preprocessor expands once at start (as fop4-p4c's `#include`s would),
 * so the fuzzer spends its time on programs rather than on the includes. The
 * input itself is not preprocessed (no fork per input): it reaches the lexer
 * as cpp output, line markers allowed. FUZZ_VERBOSE=1 shows the
 * diagnostics (to see what a seed reaches). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compiler/bmv2/bmv2.h"
#include "compiler/check.h"
#include "compiler/compiler.h"
#include "fuzz.h"

static char *prelude; /* core.p4 + v1model.p4, preprocessed */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char *inc = fuzz_p4include();
    if (!inc) {
        fuzz_skip = "no p4include directory (run from the checkout or set "
                    "FOP4_ROOT)";
        return 0;
    }
    char path[] = "/tmp/fop4-fuzz-p4-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        abort();
    static const char src[] = "#include <core.p4>\n#include <v1model.p4>\n";
    if (write(fd, src, sizeof src - 1) != (ssize_t)(sizeof src - 1))
        abort();
    close(fd);
    struct cc c;
    cc_init(&c);
    c.p4include = inc;
    prelude = cc_preprocess(&c, path);
    cc_destroy(&c);
    unlink(path);
    free(inc);
    if (!prelude)
        fuzz_skip = "the C preprocessor failed on core.p4/v1model.p4";
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!prelude || size > 65536)
        return 0;
    static const char mark[] = "\n# 1 \"fuzz.p4\"\n";
    size_t np = strlen(prelude);
    char *text = malloc(np + sizeof mark + size);
    if (!text)
        abort();
    memcpy(text, prelude, np);
    memcpy(text + np, mark, sizeof mark - 1);
    memcpy(text + np + sizeof mark - 1, data, size);
    text[np + sizeof mark - 1 + size] = '\0'; /* a NUL in data ends the text */

    struct cc c;
    cc_init(&c);
    c.diag = getenv("FUZZ_VERBOSE") ? stderr : fuzz_devnull();
    c.main_file = "fuzz.p4"; /* as cc_load sets it */
    if (cc_parse_text(&c, "fuzz.p4", text) == 0 && cc_check(&c) == 0 &&
        bmv2_lower(&c) == 0) {
        bmv2_emit_json(&c, fuzz_devnull());
        p4info_emit(&c, fuzz_devnull(), P4INFO_TEXT);
        p4info_emit(&c, fuzz_devnull(), P4INFO_JSON);
    }
    cc_destroy(&c);
    free(text);
    return 0;
}

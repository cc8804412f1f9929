/* fuzz_topo_json.c - topology files as JSON (the file is named "fuzz.json":
 * the p4lang tutorials' topology.json, or our lab schema written as JSON)
 * through the parser and validator (topo_parse_string): every input gives a
 * topo or diagnostics, never a crash. No kernel work: topo_build() is not
 * called. */
#include <stdio.h>
#include <stdlib.h>

#include "engine/topo.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 65536)
        return 0;
    char *src = fuzz_cstr(data, size);
    struct strbuf diags = STRBUF_INIT;
    struct topo *t = topo_parse_string("fuzz.json", src, &diags);
    if (t) {
        for (size_t i = 0; i < t->nodes.n; i++)
            topo_find_node(t, t->nodes.v[i].name);
        topo_set_default_program(t, "prog.p4", NULL);
    }
    topo_free(t);
    strbuf_destroy(&diags);
    free(src);
    return 0;
}

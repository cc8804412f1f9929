/* fuzz_topo.h - the body the two topology harnesses share (fuzz_topo_json.c,
 * fuzz_topo_yaml.c): the input as a topology file named `name` (its
 * extension picks the format) through the parser and validator
 * (topo_parse_string); every input gives a topo or diagnostics, never a
 * crash. No kernel work: topo_build() is not called. */
#ifndef FOP4_FUZZ_TOPO_H
#define FOP4_FUZZ_TOPO_H

#include <stdlib.h>

#include "engine/topo.h"
#include "fuzz.h"

static int
fuzz_topo(const uint8_t *data, size_t size, const char *name)
{
    if (size > 65536)
        return 0;
    char *src = fuzz_cstr(data, size);
    struct strbuf diags = STRBUF_INIT;
    struct topo *t = topo_parse_string(name, src, &diags);
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

#endif

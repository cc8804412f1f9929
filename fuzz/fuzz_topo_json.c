/* fuzz_topo_json.c - topology files as JSON (the file is named "fuzz.json":
 * the p4lang tutorials' topology.json, or our lab schema written as JSON);
 * see fuzz_topo.h. */
#include "fuzz_topo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_topo(data, size, "fuzz.json");
}

/* fuzz_topo_yaml.c - topology files in the YAML lab format (the file is
 * named "fuzz.yml"); see fuzz_topo.h. */
#include "fuzz_topo.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_topo(data, size, "fuzz.yml");
}

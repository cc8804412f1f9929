/* fuzz_bmv2_json.c - BMv2 JSON through the switch loader (sw_new_from_buffer):
 * every input either loads or is refused with a message. A program that loads
 * then takes a few frames (one per ingress port 0..3), so that what the loader
 * accepted is also safe to run. FUZZ_VERBOSE=1 shows why an input is
 * refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "switch/sw.h"

static uint64_t
fixed_clock(void *ctx)
{
    return 1000;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    struct sw_opts o;
    sw_opts_init(&o);
    o.pool_size = 64;
    o.clock = fixed_clock;
    struct err e = {0};
    struct sw *sw =
        sw_new_from_buffer((const char *)data, size, "fuzz.json", &o, &e);
    if (!sw) {
        if (getenv("FUZZ_VERBOSE"))
            fprintf(stderr, "refused: %s\n", e.msg);
        return 0;
    }
    /* Ethernet + IPv4 + TCP, enough bytes for any common header stack. */
    static const uint8_t frame[] = {
        0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x28, 0x00, 0x01, 0x00, 0x00,
        0x40, 0x06, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x01, 0x0a, 0x00, 0x01,
        0x02, 0x30, 0x39, 0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
        0x00, 0x00, 0x50, 0x02, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    struct sw_pkt in[4], out[64];
    for (uint32_t p = 0; p < 4; p++)
        in[p] = (struct sw_pkt){.port = p, .len = sizeof frame, .data = frame};
    size_t n_out;
    sw_process(sw, in, 4, out, 64, &n_out);
    for (int i = 0; i < 16 && sw_poll(sw, out, 64, &n_out) > 0; i++)
        ;
    sw_free(sw);
    return 0;
}

/* portfloor.c - what it costs the kernel to take a frame from our transmit
 * ring into a veth whose far end drops it (as bench/switch.sh's host 2 does:
 * nft ingress drop of UDP port 9). No pipeline, no receive side: the floor
 * under the switch's CPU per forwarded frame, since every frame the switch
 * forwards goes this way (src/switch/io/port.c, TPACKET_V2 TX ring, one
 * send() per batch).
 *
 *   portfloor IFACE FRAMES BATCH...
 *
 * For each batch size: sends FRAMES 60-byte frames in batches of that size,
 * one send() per batch, and prints the thread's CPU time (which includes the
 * softirq work the kernel does in our context: the far end's receive path)
 * per frame and per batch. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch/io/port.h"

static double
thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

int
main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: portfloor IFACE FRAMES BATCH...\n");
        return 2;
    }
    struct port_cfg cfg = {.kind = PORT_AFPACKET, .num = 1, .iface = argv[1]};
    struct err e = {0};
    struct port *p = port_open(&cfg, &e);
    if (!p) {
        fprintf(stderr, "portfloor: %s\n", e.msg);
        return 1;
    }
    /* Ethernet / IPv4 / UDP to port 9, 60 bytes, as the harness's bmgen */
    static const uint8_t hdr[] = {
        0x00, 0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0xaa, 0xbb, 0x00, 0x00,
        0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x2e, 0x00, 0x00, 0x40, 0x00,
        0x3f, 0x11, 0x00, 0x00, 0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x01,
        0x0a, 0x13, 0x88, 0x00, 0x09, 0x00, 0x1a, 0x00, 0x00};
    uint8_t frame[60] = {0};
    memcpy(frame, hdr, sizeof hdr);
    long frames = atol(argv[2]);
    for (int a = 3; a < argc; a++) {
        long batch = atol(argv[a]);
        if (batch < 1 || batch > 64) {
            fprintf(stderr, "portfloor: batch %s: 1..64\n", argv[a]);
            continue;
        }
        struct port_stats st0, st1;
        port_get_stats(p, &st0);
        double c0 = thread_cpu_ns();
        for (long i = 0; i < frames; i += batch) {
            for (long k = 0; k < batch; k++)
                port_send(p, frame, sizeof frame);
            port_flush(p);
        }
        double c1 = thread_cpu_ns();
        port_get_stats(p, &st1);
        unsigned long long sent = st1.tx - st0.tx;
        printf("portfloor %s: batch %3ld: %llu frames, %.2f us CPU per "
               "frame, %.1f us per send()\n",
               argv[1], batch, sent, (c1 - c0) / 1e3 / (double)(sent ? sent : 1),
               (c1 - c0) / 1e3 / ((double)frames / (double)batch));
    }
    port_close(p);
    return 0;
}

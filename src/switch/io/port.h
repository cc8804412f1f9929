/* port.h - the switch's ports: where frames come from and go to.
 *
 * A port is one switch port number bound to a back end:
 *   - "afpacket": a real (or veth) interface through an AF_PACKET socket with
 *     mmap'ed TPACKET_V2 receive and transmit rings: frames are read without
 *     a system call and a batch is sent with one;
 *   - "files": simple_switch --use-files: frames are read from the pcap file
 * (or FIFO) <iface>_in.pcap and written to <iface>_out.pcap, as p4c's STF
 * runner drives BMv2. Every port may also dump what it receives and sends to
 * <dir>/<iface>_in.pcap and <dir>/<iface>_out.pcap (simple_switch --pcap DIR),
 * readable by tcpdump.
 *
 * The data-path loop (portloop.h) polls the ports' file descriptors, hands the
 * received batches to the switch and sends the frames the switch emits. */
#ifndef FOP4_SWITCH_IO_PORT_H
#define FOP4_SWITCH_IO_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"
#include "switch/sw.h"

struct port;

enum port_kind { PORT_AFPACKET, PORT_FILES };

struct port_cfg {
    enum port_kind kind;
    uint32_t num;      /* switch port number */
    const char *iface; /* interface name, or the pcap file prefix for files */
    const char *pcap_dir; /* --pcap DIR: dump rx/tx there; NULL = no dumps */
    const char *in_path;  /* files: the input (default <iface>_in.pcap) */
    const char *out_path; /* files: the output (default <iface>_out.pcap) */
};

/* Opens a port. For PORT_FILES the input is opened without blocking, so a FIFO
 * whose writer is not there yet does not stall the switch (and the writer's
 * open() returns as soon as we have opened our end). Returns NULL and fills e
 * on failure ("port 1 (veth1): cannot open: No such device"). */
struct port *port_open(const struct port_cfg *cfg, struct err *e);
/* Flushes outputs and closes; port_close(NULL) is a no-op. */
void port_close(struct port *p);

uint32_t port_num(const struct port *p);
const char *port_iface(const struct port *p);
/* "afpacket" or "files". */
const char *port_kind_name(const struct port *p);
/* The descriptor to poll for input, or -1 when the input is finished (a pcap
 * file or FIFO at its end). */
int port_fd(const struct port *p);
/* After poll() reported an error on the port: clears it; if the interface is
 * gone, the port stops being polled (port_fd() returns -1) and -ENODEV is
 * returned. */
int port_check_error(struct port *p);
/* 1 if a frame is waiting in a ring port's receive ring (no system call;
 * always 0 for files ports). */
int port_rx_ready(const struct port *p);
/* Receives up to max frames into pkts (data points into port-owned memory,
 * valid until the next port_recv or port_release on this port). Returns the
 * number of frames (0 if none is ready) or a negative errno. */
int port_recv(struct port *p, struct sw_pkt *pkts, size_t max);
/* Gives the memory of the last port_recv batch back to the port. */
void port_release(struct port *p);
/* Sends one frame; returns 0 or a negative errno (the frame is then dropped).
 */
int port_send(struct port *p, const uint8_t *data, size_t len);
/* Pushes buffered output (pcap files) to the kernel. */
void port_flush(struct port *p);

struct port_stats {
    uint64_t rx, tx, tx_errors;
    uint64_t rx_dropped; /* too large for a ring frame */
    uint64_t ring_drops; /* the kernel found the receive ring full */
};
/* Counters; also collects the kernel's ring-drop count. */
void port_get_stats(struct port *p, struct port_stats *st);

/* Parses simple_switch's interface argument "N@IFACE" (also "-i N@IFACE" given
 * as one word). Returns 0 and fills *num and iface (cap bytes), or -1. */
int port_parse_spec(const char *spec, uint32_t *num, char *iface, size_t cap);

#endif

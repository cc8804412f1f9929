/* portloop.h - the data-path loop of fop4-switch: polls every port, hands each
 * received batch to the switch (sw_process), sends the frames it emits, drains
 * the traffic manager (sw_poll) and sleeps when nothing is ready. Ports can be
 * added and removed from another thread (port_add/port_remove on the control
 * socket) while it runs. */
#ifndef FOP4_SWITCH_IO_PORTLOOP_H
#define FOP4_SWITCH_IO_PORTLOOP_H

#include <signal.h>
#include <stdint.h>

#include "switch/io/port.h"

struct portloop;

struct portloop_opts {
    unsigned
        dump_packet_data; /* log this many bytes of each frame (info level) */
    const char *pcap_dir; /* --pcap DIR for ports added later */
    int use_files;        /* ports added by port_add are pcap files */
};

/* sw is not owned. */
struct portloop *portloop_new(struct sw *sw, const struct portloop_opts *opts);
/* Closes every port (flushing outputs). */
void portloop_free(struct portloop *l);

/* Opens and adds a port (any thread). -EEXIST if the number is taken. */
int portloop_add(struct portloop *l, const struct port_cfg *cfg, struct err *e);
/* Removes and closes port num (any thread). -ENOENT if there is none. */
int portloop_remove(struct portloop *l, uint32_t num, struct err *e);
/* Calls fn for every port, in port order. */
void portloop_list(struct portloop *l,
                   void (*fn)(void *ctx, uint32_t port, const char *iface,
                              int up, const char *extra),
                   void *ctx);

/* Runs until *stop becomes non-zero (a signal handler sets it), then flushes
 * every output. Returns 0. */
int portloop_run(struct portloop *l, volatile sig_atomic_t *stop);
/* Wakes the loop from another thread or a signal handler. */
void portloop_wake(struct portloop *l);

#endif

/* notify.h - the switch's notifications socket, as BMv2's simple_switch has
 * it: a nanomsg PUB socket (default ipc:///tmp/bmv2-<device id>-
 * notifications.ipc, --notifications-addr) carrying binary messages that
 * start with a 4-byte topic, every integer in the host's byte order:
 *
 *   "LEA|" u64 switch id, i32 context id (0), i32 learn list id,
 *          u64 buffer id, u32 sample count, then the samples: each the
 *          list's fields, big-endian, each on (width + 7) / 8 bytes.
 *   "AGE|" u64 switch id, i32 context id, u64 buffer id, i32 table id,
 *          u32 entry count, then the entry handles (u32 each).
 *   "PRT|" u64 switch id, u32 status count, 16 zero bytes, then per port
 *          i32 port number, i32 status (1 up, 0 down).
 *
 * Learning follows BMv2's learn engine: per list a buffer of up to
 * max_samples samples (16) sent when full or timeout ms (1000) after its
 * first sample (timeout 0 = only when full); a sample equal to one already
 * sent or buffered and not yet acknowledged is dropped (the filter); an ack
 * of samples of a buffer, or of the whole buffer, lets them be learned again.
 *
 * A thread of its own drains the switch's digest queue (sw_learn_drain)
 * every tick (NOTIFY_TICK_MS; NOTIFY_PORT_MS if the program at start had no
 * learn lists and no digest came in the last 10 s), so the packet path does
 * no work for it beyond queueing the digest. Ageing reports
 * (sw_ageing_set_hook) are gathered and sent at the next tick, one AGE| message
 * per table. Ports are checked every NOTIFY_PORT_MS as BMv2's active port
 * monitor does: a port seen up for the first time, or changing state, is
 * reported (one PRT| message per check with every change); a removed port is
 * not. */
#ifndef FOP4_CONTROL_NOTIFY_H
#define FOP4_CONTROL_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct sw;
struct notify;

#define NOTIFY_TICK_MS 5
#define NOTIFY_PORT_MS 200
#define NOTIFY_SNDBUF (4 << 20) /* bytes queued per subscriber at most */
#define NOTIFY_DEFAULT_MAX_SAMPLES 16
#define NOTIFY_DEFAULT_TIMEOUT_MS 1000

/* The default address of device device_id (a string to free). */
char *notify_default_addr(uint32_t device_id);

/* Binds a PUB socket to addr and starts the thread; takes over the switch's
 * ageing hook. NULL and e set if addr cannot be bound. The last one started
 * is the one notify_current() returns (for the Thrift learning calls). */
struct notify *notify_start(struct sw *sw, const char *addr, uint32_t device_id,
                            struct err *e);
/* Stops the thread, sends what is buffered, closes the socket. */
void notify_stop(struct notify *n);
struct notify *notify_current(void);
/* The address it is bound to (BmConfig.notifications_socket). */
const char *notify_addr(struct notify *n);

/* Where the port states come from: fn calls cb for every port of the
 * switch, with up non-zero if it is up. Called from the notifications
 * thread, without its lock. */
typedef void (*notify_port_cb)(void *cbctx, uint32_t port, int up);
typedef void (*notify_ports_fn)(void *ctx, notify_port_cb cb, void *cbctx);
void notify_set_ports(struct notify *n, notify_ports_fn fn, void *ctx);

/* BMv2's Thrift learning calls. Unknown list ids are the caller's business
 * (they check against the program). Buffer ids not outstanding are ignored,
 * as BMv2 does. */
void notify_ack(struct notify *n, uint32_t list_id, uint64_t buffer_id,
                const int32_t *sample_ids, size_t n_ids);
void notify_ack_buffer(struct notify *n, uint32_t list_id, uint64_t buffer_id);
void notify_set_timeout(struct notify *n, uint32_t list_id, unsigned ms);
void notify_set_buffer_size(struct notify *n, uint32_t list_id, size_t max);

/* Forgets every learn list's state (buffered samples, filter, unacked
 * buffers; buffer ids restart at 0), as BMv2's reset_state does; buffer
 * size and timeout stay. n NULL (no notifications socket) is a no-op. */
void notify_reset(struct notify *n);

/* Counters for tests and logs. */
struct notify_stats {
    uint64_t lea_msgs, lea_samples, filtered, age_msgs, prt_msgs;
};
void notify_get_stats(struct notify *n, struct notify_stats *st);

#endif

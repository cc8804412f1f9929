/* sw.h - one P4 switch instance: the whole in-process API of the switch core.
 *
 * A struct sw loads a BMv2 JSON program (as p4c-bm2-ss emits it) and runs
 * simple_switch's v1model semantics on packets handed to it. Everything around
 * it (packet I/O, the command line, the control socket and its command
 * language, the STF runner) lives outside the core and talks to it only through
 * this header.
 *
 * Threads and atomicity
 *   One thread (the data path) calls sw_process()/sw_poll(). Any thread may
 * call the control functions (sw_table_*, sw_mc_*, ...). Every call runs under
 * the switch's lock: the data path holds it for one whole batch, so a control
 * change lands between two batches and is atomic for every packet in flight.
 * Control calls are short (no I/O), so the data path never waits long.
 *
 * Packet path and buffers
 *   sw_process() takes a batch of received frames (the caller keeps ownership
 * of the bytes; they are copied into switch-owned packet buffers) and runs
 * ingress on each. Packets then go through the traffic manager (TM): one FIFO
 * per egress port and priority (priority_queues of them, highest index served
 * first, as simple_switch --priority-queues), with a depth limit
 * (set_queue_depth, packets beyond it are dropped) and an optional rate
 * (set_queue_rate, packets/s). The same call then drains the TM: egress runs on
 * each dequeued packet and the frames to send are written to the caller's out[]
 * array. out[i].data points into switch-owned buffers that stay valid until the
 * next sw_process() or sw_poll() on this switch (also across a config swap or
 * reset_state made by another thread meanwhile). If more frames are ready than
 * out[] can hold, or a rate limit holds them back, they stay queued: call
 * sw_poll() (no input) to get them. One call does a bounded amount of egress
 * work (a program that recirculates forever cannot hold the lock); while work
 * is left, sw_next_wakeup_us() returns 0. No allocation happens per packet:
 * buffers come from a pool sized at load time (sw_opts.pool_size); when it runs
 * dry the newest packets are dropped and counted (sw_stats). Multicast
 * replication, clones (I2E/E2E), resubmit and recirculate all happen inside the
 * switch; their copies take buffers from the same pool. Timestamps
 * (ingress_global_timestamp, enq_timestamp, deq_timedelta, ...) are in
 * microseconds since the switch was created, read from CLOCK_MONOTONIC once per
 * batch (sw_opts.clock overrides it, for tests).
 *
 * CPU port, packet-in/out
 *   Frames the program sends to opts.cpu_port come out of sw_process() like any
 *   other frame with port == cpu_port; a frame received with port == cpu_port
 * is a packet-out. The runtime connects that port to whatever carries
 * packet-in/out.
 *
 * Digests and learning
 *   digest()/generate_digest() append a message to a switch-owned queue
 * (bounded; overflow drops and counts); the runtime drains it with
 * sw_learn_drain().
 *
 * Control functions name objects by the names of the JSON (tables, actions,
 * counters, ... as BMv2's runtime CLI does: the full name "MyIngress.ipv4_lpm"
 * or any unique suffix of it, e.g. "ipv4_lpm"). They return 0 or a negative
 * errno and fill err with a message for the user (unknown names get "did you
 * mean"). Byte strings are big-endian; a value may be given with fewer bytes
 * than its field (left-padded with zeros) or more bytes if the extra leading
 * bytes are zero; a value that does not fit its bit width is an error. */
#ifndef FOP4_SW_H
#define FOP4_SW_H

#include <stddef.h>
#include <stdint.h>

#include "lib/err.h"

struct sw;

/* ---- creation ---------------------------------------------------------- */

/* The trace hook: called with one line of text (no newline) per event when
 * tracing is on: packet received, parser state entered, header extracted, table
 * lookup (hit with entry handle / miss), action run with its arguments,
 * conditional result, drop (and why), packet emitted. pkt_id numbers packets
 * from 0 as BMv2 does ("[pkt_id.copy_id]"). When opts.trace is NULL the data
 * path does no work for tracing at all. */
typedef void (*sw_trace_fn)(void *ctx, uint64_t pkt_id, uint32_t copy_id,
                            const char *line);

/* A clock in microseconds, for tests that need fixed timestamps. */
typedef uint64_t (*sw_clock_fn)(void *ctx);

struct sw_opts {
    uint32_t device_id;       /* --device-id (default 0) */
    int cpu_port;             /* -- --cpu-port N; -1 (default) = none */
    uint32_t drop_port;       /* -- --drop-port N (default 511) */
    unsigned priority_queues; /* -- --priority-queues N, 1..8 (default 1) */
    unsigned pool_size;       /* packet buffers (default 4096) */
    unsigned queue_depth; /* default per-queue depth in packets (default 64) */
    unsigned learn_queue; /* max queued digest messages (default 1024) */
    sw_trace_fn trace;    /* NULL = no tracing */
    void *trace_ctx;
    sw_clock_fn clock; /* NULL = CLOCK_MONOTONIC */
    void *clock_ctx;
};

/* Fills o with the defaults above. */
void sw_opts_init(struct sw_opts *o);

/* Creates a switch running the BMv2 JSON program in json_path. json_path NULL
 * creates a switch without a program (simple_switch --no-p4): it drops every
 * packet until sw_load_config() + sw_swap_config() give it one. opts NULL = the
 * defaults. On error returns NULL and e says where, naming the JSON path, e.g.
 * "prog.json: pipelines[0].tables[3].key[1]: unknown match_type 'foo'". */
struct sw *sw_new(const char *json_path, const struct sw_opts *opts,
                  struct err *e);
/* The same from a buffer of len bytes; name is used in messages. */
struct sw *sw_new_from_buffer(const char *json, size_t len, const char *name,
                              const struct sw_opts *opts, struct err *e);
/* Frees the switch and everything it owns; sw_free(NULL) is a no-op. */
void sw_free(struct sw *sw);

/* Changes the trace hook at run time (e.g. "-L debug" switched on). */
void sw_set_trace(struct sw *sw, sw_trace_fn fn, void *ctx);

/* ---- packet path ------------------------------------------------------- */

/* One frame: received (input) or to send (output). */
struct sw_pkt {
    uint32_t port;
    uint32_t len;
    const uint8_t *data;
};

/* Runs a batch of n_in received frames through the switch and returns in
 * *n_out (<= max_out) the frames to send, in out[]. See the top of this file
 * for buffer lifetimes. Returns 0 or a negative errno (-ENOENT: no program). */
int sw_process(struct sw *sw, const struct sw_pkt *in, size_t n_in,
               struct sw_pkt *out, size_t max_out, size_t *n_out);
/* Drains frames still queued in the TM (held back by max_out or a rate limit).
 * Returns the number of packets still queued after this call. */
size_t sw_poll(struct sw *sw, struct sw_pkt *out, size_t max_out,
               size_t *n_out);
/* Microseconds until a rate-limited queue can send again, 0 if something can
 * be sent now, UINT64_MAX if the TM is empty: how long the I/O loop may sleep.
 */
uint64_t sw_next_wakeup_us(struct sw *sw);

struct sw_stats {
    uint64_t rx, tx;      /* frames in, frames out */
    uint64_t dropped;     /* mark_to_drop / egress_spec == drop port */
    uint64_t queue_drops; /* TM queue full */
    uint64_t pool_drops;  /* no packet buffer left */
    uint64_t learn_drops; /* digest queue full */
};
void sw_get_stats(struct sw *sw, struct sw_stats *st);

/* ---- program introspection -------------------------------------------- */

enum sw_match_kind {
    SW_MATCH_EXACT,
    SW_MATCH_LPM,
    SW_MATCH_TERNARY,
    SW_MATCH_RANGE,
    SW_MATCH_VALID,
    SW_MATCH_OPTIONAL,
};
/* "exact", "lpm", ... as BMv2 names them. */
const char *sw_match_kind_name(enum sw_match_kind k);

struct sw_key_info {
    const char *name; /* e.g. "hdr.ipv4.dstAddr" or the key's "name" */
    enum sw_match_kind kind;
    unsigned bitwidth; /* 1 for valid keys */
};

struct sw_param_info {
    const char *name;
    unsigned bitwidth;
};

struct sw_action_info {
    const char *name;
    uint32_t id;
    size_t n_params;
    const struct sw_param_info *params;
};

enum sw_table_kind {
    SW_TABLE_DIRECT,      /* action data in the entry */
    SW_TABLE_INDIRECT,    /* entries point to action profile members */
    SW_TABLE_INDIRECT_WS, /* ... or to groups of an action selector */
};

struct sw_table_info {
    const char *name;
    uint32_t id;
    enum sw_table_kind kind;
    enum sw_match_kind
        match_type; /* the table's overall kind, as BMv2 prints */
    size_t max_size;
    size_t n_keys;
    const struct sw_key_info *keys;
    size_t n_actions;
    const uint32_t *action_ids; /* ids for sw_action_by_id() */
    const char *action_profile; /* NULL for direct tables */
    int with_counters;          /* direct counter attached */
    int with_meters;            /* direct meter attached */
    int with_ageing;            /* support_timeout */
    int with_priority;          /* a ternary/range/optional key */
    int const_entries;          /* entries fixed by the program */
    int const_default;          /* default action fixed by the program */
};

/* All pointers returned by the introspection calls stay valid until the
 * program is replaced (sw_swap_config) or the switch freed. */
size_t sw_num_tables(struct sw *sw);
const struct sw_table_info *sw_table_info_at(struct sw *sw, size_t i);
/* By name (full or unique suffix); NULL and e set if unknown/ambiguous. */
const struct sw_table_info *sw_table_info(struct sw *sw, const char *name,
                                          struct err *e);
size_t sw_num_actions(struct sw *sw);
const struct sw_action_info *sw_action_info_at(struct sw *sw, size_t i);
const struct sw_action_info *sw_action_by_id(struct sw *sw, uint32_t id);
const struct sw_action_info *sw_action_info(struct sw *sw, const char *name,
                                            struct err *e);

/* Kinds of stateful object for sw_object_*: counters, meters, registers,
 * action profiles, parse value sets, learn lists. */
enum sw_object_kind {
    SW_OBJ_COUNTER,
    SW_OBJ_METER,
    SW_OBJ_REGISTER,
    SW_OBJ_ACT_PROF,
    SW_OBJ_PVS,
    SW_OBJ_LEARN,
};

struct sw_object_info {
    const char *name;
    uint32_t id;
    enum sw_object_kind kind;
    size_t size;       /* cells (counters, meters, registers), entries (pvs) */
    unsigned bitwidth; /* registers, pvs (key width) */
    const char *direct_table; /* direct counters/meters: the table; else NULL */
    int is_bytes;             /* meters: type "bytes"; counters: always both */
    unsigned rate_count;      /* meters: 2 for trTCM */
    int with_selector;        /* action profiles */
};
size_t sw_num_objects(struct sw *sw, enum sw_object_kind kind);
/* The direct counter or meter (kind) attached to table `table`, or NULL. */
const struct sw_object_info *sw_table_direct_object(struct sw *sw,
                                                    const char *table,
                                                    enum sw_object_kind kind);
const struct sw_object_info *
sw_object_info_at(struct sw *sw, enum sw_object_kind kind, size_t i);
const struct sw_object_info *sw_object_info(struct sw *sw,
                                            enum sw_object_kind kind,
                                            const char *name, struct err *e);

/* ---- table entries ----------------------------------------------------- */

/* A byte string: big-endian value. */
struct sw_bytes {
    const uint8_t *v;
    size_t len;
};

/* One match field of an entry, in the order of the table's keys. */
struct sw_match_param {
    enum sw_match_kind kind; /* must equal the key's kind */
    struct sw_bytes key;     /* exact/lpm/ternary/optional value; range low;
                                valid: one byte 0/1 */
    struct sw_bytes mask;    /* ternary mask; range: the high bound */
    int prefix_len;          /* lpm */
    int wildcard;            /* optional: 1 = match any (key ignored) */
};

/* What an entry (or a default) runs. */
enum sw_action_ref_kind { SW_REF_ACTION, SW_REF_MEMBER, SW_REF_GROUP };
struct sw_action_ref {
    enum sw_action_ref_kind kind;
    const char *action;          /* SW_REF_ACTION: name (or unique suffix) */
    const struct sw_bytes *args; /* SW_REF_ACTION: one per parameter */
    size_t n_args;
    uint32_t handle; /* member or group handle */
};

/* Adds an entry. priority matters for ternary/range/optional tables, where as
 * in BMv2 the SMALLEST value wins (p4c's STF runner passes 10000 - prio).
 * Handles are unique per table and never reused while the entry exists. -ENOENT
 * for an unknown table or action, -EEXIST for a duplicate key, -ENOSPC when the
 * table is full, -EINVAL for a bad key or argument (the message says which
 * one). */
int sw_table_add(struct sw *sw, const char *table,
                 const struct sw_match_param *match, size_t n_match,
                 int priority, const struct sw_action_ref *act,
                 uint64_t *handle, struct err *e);
/* Changes what entry 'handle' does. */
int sw_table_modify(struct sw *sw, const char *table, uint64_t handle,
                    const struct sw_action_ref *act, struct err *e);
int sw_table_delete(struct sw *sw, const char *table, uint64_t handle,
                    struct err *e);
/* Removes every (non-const) entry. */
int sw_table_clear(struct sw *sw, const char *table, struct err *e);
int sw_table_set_default(struct sw *sw, const char *table,
                         const struct sw_action_ref *act, struct err *e);
/* Back to the program's default action. */
int sw_table_reset_default(struct sw *sw, const char *table, struct err *e);
/* Sets the timeout (ms) of an entry in a table with support_timeout. */
int sw_table_set_timeout(struct sw *sw, const char *table, uint64_t handle,
                         unsigned ms, struct err *e);
/* Ageing (BMv2's ageing notifications for tables with support_timeout).
 * Setting a timeout starts the switch's sweep thread: every sweep interval
 * (default 1000 ms, as BMv2) it reports each entry with a timeout whose last
 * hit (or addition, or last report) is at least its timeout ago: a log line
 * at info level "Ageing entry H in table 'T' (no hit for N ms, timeout M
 * ms)", then the hook. An idle entry is reported once per timeout while it
 * stays idle; entries are not removed (as BMv2).
 *
 * sw_ageing_set_hook: fn is called from the sweep thread, without the switch
 * lock held (it may call the switch), for every reported entry; NULL = log
 * only. For a control front end's notifications (BMv2 sends "AGE|" messages
 * on its notifications socket).
 * sw_ageing_poll: one sweep now, in the caller's thread (tests); returns how
 * many entries were reported. */
typedef void (*sw_ageing_fn)(void *ctx, const char *table, uint64_t handle);
void sw_ageing_set_hook(struct sw *sw, sw_ageing_fn fn, void *ctx);
void sw_ageing_set_interval(struct sw *sw, unsigned ms);
unsigned sw_ageing_get_interval(struct sw *sw);
size_t sw_ageing_poll(struct sw *sw, sw_ageing_fn fn, void *ctx);
/* Number of entries, or a negative errno. */
long sw_table_num_entries(struct sw *sw, const char *table, struct err *e);
/* Finds the handle of the entry with exactly this key (and priority, for
 * ternary/range tables). -ENOENT if none. */
int sw_table_find(struct sw *sw, const char *table,
                  const struct sw_match_param *match, size_t n_match,
                  int priority, uint64_t *handle, struct err *e);

/* An entry as read back. Pointers are valid only during the callback. */
struct sw_entry_info {
    uint64_t handle;
    int is_default; /* the default entry (no match) */
    size_t n_match;
    const struct sw_match_param *match; /* key/mask at the keys' full width */
    int priority;
    enum sw_action_ref_kind kind;
    const struct sw_action_info *action; /* SW_REF_ACTION */
    const struct sw_bytes *args;         /* SW_REF_ACTION, action->n_params;
                                            each in the fewest bytes that hold
                                            it (at least one), as BMv2 prints
                                            action data; keys are full width,
                                            as given when added */
    uint32_t ref_handle;                 /* member or group */
    unsigned timeout_ms;
    uint64_t hit_packets, hit_bytes; /* direct counter, 0 if none */
    uint64_t ms_since_hit; /* since the last hit, or since it was added */
};
typedef void (*sw_entry_fn)(void *ctx, const struct sw_entry_info *ent);

/* Calls fn for every entry in handle order, then (if any) the default entry. */
int sw_table_dump(struct sw *sw, const char *table, sw_entry_fn fn, void *ctx,
                  struct err *e);
/* Calls fn once for one entry (handle) or for the default entry
 * (handle == SW_DEFAULT_ENTRY). */
#define SW_DEFAULT_ENTRY UINT64_MAX
int sw_table_read(struct sw *sw, const char *table, uint64_t handle,
                  sw_entry_fn fn, void *ctx, struct err *e);

/* ---- action profiles and selectors ------------------------------------- */

/* prof names an action profile, or an indirect table (its profile is used),
 * as BMv2's act_prof_* and table_indirect_* commands do. */
int sw_act_prof_add_member(struct sw *sw, const char *prof, const char *action,
                           const struct sw_bytes *args, size_t n_args,
                           uint32_t *member, struct err *e);
int sw_act_prof_modify_member(struct sw *sw, const char *prof, uint32_t member,
                              const char *action, const struct sw_bytes *args,
                              size_t n_args, struct err *e);
/* -EBUSY if an entry or group still uses the member. */
int sw_act_prof_delete_member(struct sw *sw, const char *prof, uint32_t member,
                              struct err *e);
int sw_act_prof_create_group(struct sw *sw, const char *prof, uint32_t *group,
                             struct err *e);
int sw_act_prof_delete_group(struct sw *sw, const char *prof, uint32_t group,
                             struct err *e);
int sw_act_prof_add_to_group(struct sw *sw, const char *prof, uint32_t member,
                             uint32_t group, struct err *e);
int sw_act_prof_remove_from_group(struct sw *sw, const char *prof,
                                  uint32_t member, uint32_t group,
                                  struct err *e);

struct sw_member_info {
    uint32_t handle;
    const struct sw_action_info *action;
    const struct sw_bytes *args; /* fewest bytes, as sw_entry_info.args */
};
struct sw_group_info {
    uint32_t handle;
    size_t n_members;
    const uint32_t *members;
};
typedef void (*sw_member_fn)(void *ctx, const struct sw_member_info *m);
typedef void (*sw_group_fn)(void *ctx, const struct sw_group_info *g);
/* Calls mfn for each member and gfn for each group (either may be NULL). */
int sw_act_prof_dump(struct sw *sw, const char *prof, sw_member_fn mfn,
                     sw_group_fn gfn, void *ctx, struct err *e);

/* ---- multicast (the pre: packet replication engine) --------------------- */

int sw_mc_mgrp_create(struct sw *sw, uint32_t mgrp, struct err *e);
int sw_mc_mgrp_destroy(struct sw *sw, uint32_t mgrp, struct err *e);
/* A node: rid + the ports it replicates to. */
int sw_mc_node_create(struct sw *sw, uint32_t rid, const uint32_t *ports,
                      size_t n_ports, uint32_t *node, struct err *e);
int sw_mc_node_update(struct sw *sw, uint32_t node, const uint32_t *ports,
                      size_t n_ports, struct err *e);
int sw_mc_node_destroy(struct sw *sw, uint32_t node, struct err *e);
int sw_mc_node_associate(struct sw *sw, uint32_t mgrp, uint32_t node,
                         struct err *e);
int sw_mc_node_dissociate(struct sw *sw, uint32_t mgrp, uint32_t node,
                          struct err *e);
/* Writes a human-readable dump of groups and nodes (mc_dump) to *out
 * (caller frees). */
int sw_mc_dump(struct sw *sw, char **out, struct err *e);

/* LAGs (BMv2's simple_pre_lag). A node also replicates to each of its LAGs:
 * one copy per LAG, to one member port (the first: BMv2's simple_switch
 * passes no hash to the engine, so member 0 is always picked); a LAG without
 * members gets no copy. sw_mc_node_set_lags replaces the node's LAG list
 * (indexes 0..1023); sw_mc_set_lag_membership sets a LAG's member ports (an
 * empty list leaves it without members). Both apply to the next packet. */
int sw_mc_node_set_lags(struct sw *sw, uint32_t node, const uint32_t *lags,
                        size_t n_lags, struct err *e);
int sw_mc_set_lag_membership(struct sw *sw, uint32_t lag, const uint32_t *ports,
                             size_t n_ports, struct err *e);

/* The multicast state as read back (mc_dump, Thrift's bm_mc_get_entries),
 * whoever created it. Pointers are valid during the callback only. */
struct sw_mc_group_info {
    uint32_t id;
    size_t n_nodes;
    const uint32_t *nodes; /* node handles in association order */
};
struct sw_mc_node_info {
    uint32_t handle;
    uint32_t rid;
    int mgrp; /* associated group, -1 if none */
    size_t n_ports, n_lags;
    const uint32_t *ports, *lags;
};
struct sw_mc_lag_info {
    uint32_t id;
    size_t n_ports;
    const uint32_t *ports;
};
struct sw_mc_walker {
    void (*group)(void *ctx, const struct sw_mc_group_info *g);
    void (*node)(void *ctx, const struct sw_mc_node_info *n);
    void (*lag)(void *ctx, const struct sw_mc_lag_info *l);
    void *ctx;
};
/* Calls the walker for every group (ascending id), every node (ascending
 * handle) and every LAG whose membership was set (ascending index); any
 * callback may be NULL. The callbacks run under the switch's lock and must
 * not call the switch. */
void sw_mc_walk(struct sw *sw, const struct sw_mc_walker *w);

/* ---- mirroring (clone sessions) ---------------------------------------- */

struct sw_mirror {
    int port; /* egress port, or -1 */
    int mgrp; /* multicast group, or -1 */
};
int sw_mirroring_add(struct sw *sw, uint32_t session, const struct sw_mirror *m,
                     struct err *e);
int sw_mirroring_delete(struct sw *sw, uint32_t session, struct err *e);
/* -ENOENT if the session does not exist. */
int sw_mirroring_get(struct sw *sw, uint32_t session, struct sw_mirror *m,
                     struct err *e);

/* ---- counters, meters, registers --------------------------------------- */

/* For direct counters/meters index is the table entry handle. */
int sw_counter_read(struct sw *sw, const char *name, uint64_t index,
                    uint64_t *bytes, uint64_t *packets, struct err *e);
int sw_counter_write(struct sw *sw, const char *name, uint64_t index,
                     uint64_t bytes, uint64_t packets, struct err *e);
/* Zeroes every cell. */
int sw_counter_reset(struct sw *sw, const char *name, struct err *e);

/* One meter rate: info_rate in units (packets or bytes) per microsecond as
 * BMv2's meter_set_rates takes it, burst in units. */
struct sw_meter_rate {
    double info_rate;
    uint32_t burst;
};
/* n rates (1 or 2: committed then peak, as the meter's rate_count says).
 * index SW_ALL_CELLS sets every cell (meter_array_set_rates). */
#define SW_ALL_CELLS UINT64_MAX
int sw_meter_set_rates(struct sw *sw, const char *name, uint64_t index,
                       const struct sw_meter_rate *rates, size_t n,
                       struct err *e);
/* Fills rates[0..*n) (at most 2); *n = 0 when no rate was set. */
int sw_meter_get_rates(struct sw *sw, const char *name, uint64_t index,
                       struct sw_meter_rate *rates, size_t *n, struct err *e);
int sw_meter_reset_rates(struct sw *sw, const char *name, struct err *e);

/* Register cells are (bitwidth + 7) / 8 bytes, big-endian. read writes that
 * many bytes to out (outlen must be at least that); write accepts any length
 * that fits. */
int sw_register_read(struct sw *sw, const char *name, uint64_t index,
                     uint8_t *out, size_t outlen, struct err *e);
int sw_register_write(struct sw *sw, const char *name, uint64_t index,
                      const struct sw_bytes *val, struct err *e);
int sw_register_reset(struct sw *sw, const char *name, struct err *e);

/* ---- parse value sets --------------------------------------------------- */

/* mask.len == 0 means all ones. */
int sw_pvs_add(struct sw *sw, const char *name, const struct sw_bytes *val,
               const struct sw_bytes *mask, struct err *e);
int sw_pvs_remove(struct sw *sw, const char *name, const struct sw_bytes *val,
                  const struct sw_bytes *mask, struct err *e);
int sw_pvs_clear(struct sw *sw, const char *name, struct err *e);
typedef void (*sw_pvs_fn)(void *ctx, const struct sw_bytes *val,
                          const struct sw_bytes *mask);
int sw_pvs_get(struct sw *sw, const char *name, sw_pvs_fn fn, void *ctx,
               struct err *e);

/* ---- custom CRC calculations --------------------------------------------- */

/* Parameters of a crc16_custom / crc32_custom calculation
 * (set_crc16_parameters / set_crc32_parameters). Until set, such a
 * calculation computes the plain crc16 / crc32. */
struct sw_crc_params {
    uint64_t poly, init, xor_out;
    int reflect_data, reflect_remainder;
};
/* calc names a calculation of the JSON ("calculations"); width is 16 or 32
 * and must match its algorithm. */
int sw_set_crc_parameters(struct sw *sw, const char *calc, unsigned width,
                          const struct sw_crc_params *cp, struct err *e);

/* ---- digests / learning -------------------------------------------------- */

struct sw_learn_msg {
    uint32_t list_id; /* learn list id in the JSON */
    const char *name; /* learn list name */
    uint64_t timestamp_us;
    size_t n_fields;
    const struct sw_bytes *fields; /* each field big-endian at its width */
};
typedef void (*sw_learn_fn)(void *ctx, const struct sw_learn_msg *msg);
/* Calls fn for every queued digest message (oldest first) and empties the
 * queue; returns how many were delivered. */
size_t sw_learn_drain(struct sw *sw, sw_learn_fn fn, void *ctx);

/* ---- traffic manager ---------------------------------------------------- */

/* port -1 = every port, prio -1 = every priority queue. depth in packets. */
int sw_set_queue_depth(struct sw *sw, int port, int prio, unsigned depth,
                       struct err *e);
/* pps 0 = unlimited. */
int sw_set_queue_rate(struct sw *sw, int port, int prio, uint64_t pps,
                      struct err *e);
/* Current occupancy of a queue, in packets. */
unsigned sw_queue_occupancy(struct sw *sw, uint32_t port, unsigned prio);

/* ---- configuration and state -------------------------------------------- */

/* Loads a new program to be switched to by sw_swap_config()
 * (load_new_config_file
 * + swap_configs). The running program keeps forwarding meanwhile. */
int sw_load_config(struct sw *sw, const char *json, size_t len,
                   const char *name, struct err *e);
/* Makes the loaded program the running one: all runtime state (entries, groups,
 * sessions, counters, registers ...) starts empty, as in BMv2. -ENOENT if no
 * config was loaded. */
int sw_swap_config(struct sw *sw, struct err *e);
/* The JSON text of the running program (owned by the switch; NULL if none). */
const char *sw_get_config(struct sw *sw, size_t *len);
/* reset_state: clears entries, default actions, members, groups, multicast,
 * mirroring sessions, counters, meters, registers, value sets. */
void sw_reset_state(struct sw *sw);

struct sw_info {
    uint32_t device_id;
    int cpu_port;
    uint32_t drop_port;
    unsigned priority_queues;
    int has_program;
    const char *program_name; /* file name given to sw_new/sw_load_config */
    uint64_t uptime_us;
};
void sw_get_info(struct sw *sw, struct sw_info *info);

#endif

/* sw_int.h - the switch core's internal model, shared by its .c files only.
 *
 * load.c turns BMv2 JSON into the flat arrays below (struct prog); expr.c
 * compiles expressions into op lists and evaluates them; exec.c runs parsers,
 * controls, actions and deparsers on one packet; table.c holds match tables;
 * sw.c is the packet path (batches, traffic manager, replication) and ctl.c the
 * control API.
 *
 * Values: every field lives in the packet's PHV as one uint64_t slot (width <=
 * 64) or (width + 63) / 64 slots (wider fields, up to MAX_FIELD_BITS, the
 * widest type p4c accepts). Expressions compute on struct val: up to VAL_W
 * 64-bit words, two's complement, so that both BMv2's arbitrary precision
 * arithmetic (as far as p4c uses it: every result is masked or truncated to a
 * field width) and signed comparisons come out right. An expression works on
 * as few words as its operands need (struct expr.nw); everything else sees
 * whole vals. Action arguments and register cells are stored compactly, in
 * as many words as their width needs. */
#ifndef FOP4_SW_INT_H
#define FOP4_SW_INT_H

#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "lib/err.h"
#include "lib/hmap.h"
#include "switch/sw.h"

/* 2048 bits (p4c's widest type) and a word of headroom for the sign */
#define VAL_W 33
#define MAX_FIELD_BITS 2048
/* 64-bit words a value of 'bits' bits takes (at least one) */
#define VAL_WORDS(bits) ((bits) > 64 ? ((unsigned)(bits) + 63) / 64 : 1u)
/* packed table keys: two keys of the widest width */
#define SW_MAX_KEY_BYTES 512
/* a digest message's fields (learn lists longer are refused at load) */
#define SW_MAX_DIGEST_BYTES 512
#define MAX_PORTS 512
#define HEADROOM 512
#define MAX_FRAME 9216
/* + 64: a stride that is not a multiple of 4 KiB spreads the buffers over
 * the cache sets */
#define BUF_SIZE (HEADROOM + MAX_FRAME + 512 + 64)

struct exec_ctx;
struct val {
    uint64_t w[VAL_W]; /* w[0] least significant */
};

static inline void
val_set_u64(struct val *v, uint64_t x)
{
    v->w[0] = x;
    for (int i = 1; i < VAL_W; i++)
        v->w[i] = 0;
}
static inline int
val_is_zero(const struct val *v)
{
    for (int i = 0; i < VAL_W; i++)
        if (v->w[i])
            return 0;
    return 1;
}
/* Keeps the low 'bits' bits. */
static inline void
val_trunc(struct val *v, unsigned bits)
{
    if (bits >= VAL_W * 64)
        return;
    unsigned wi = bits / 64;
    if (bits % 64)
        v->w[wi++] &= (UINT64_C(1) << (bits % 64)) - 1;
    if (wi < VAL_W)
        memset(&v->w[wi], 0, (VAL_W - wi) * sizeof v->w[0]);
}
/* Sign-extends from 'bits' bits. */
static inline void
val_sext(struct val *v, unsigned bits)
{
    if (bits == 0 || bits >= VAL_W * 64)
        return;
    unsigned wi = (bits - 1) / 64, bi = (bits - 1) % 64;
    int neg = (v->w[wi] >> bi) & 1;
    if (!neg) {
        val_trunc(v, bits);
        return;
    }
    if (bi < 63)
        v->w[wi] |= ~((UINT64_C(2) << bi) - 1);
    for (unsigned i = wi + 1; i < VAL_W; i++)
        v->w[i] = ~UINT64_C(0);
}

/* Big-endian bytes <-> val. */
void val_from_bytes(struct val *v, const uint8_t *b, size_t n);
void val_to_bytes(const struct val *v, uint8_t *b, size_t n);
/* Parses "0x..." / decimal / "-..." (BMv2 hexstr); -1 if malformed. */
int val_parse(struct val *v, const char *s);

/* ---- program model ------------------------------------------------------ */

struct field {
    char *name;     /* "hdr.f" */
    uint32_t slot;  /* first PHV slot */
    uint16_t width; /* bits (varbit: max bits) */
    uint8_t is_signed;
    uint8_t wide; /* width > 64: nw slots */
    uint8_t nw;   /* PHV slots (words) of a fixed-width field */
    uint8_t varbit;
    uint8_t saturating;
    int hdr;
};

struct header {
    char *name;
    int type;
    int metadata;
    int first_field, n_fields; /* fields in this instance, including $valid$ */
    int valid_field;           /* the "$valid$" pseudo field index */
    uint32_t valid_slot;       /* its PHV slot */
    uint32_t fixed_bits;       /* sum of fixed-width field bits */
    int varbit_field;          /* field index or -1 */
    int stack, stack_pos;      /* header stack membership or -1 */
    int un, un_pos;            /* header union membership or -1 */
    int narrow;                /* every field <= 56 bits, no varbit: */
    uint8_t *widths;           /* then fields are n_fields consecutive slots */
};

struct header_type {
    char *name;
    int n_fields;
};

struct hstack {
    char *name;
    int size;
    int *hdrs;
    int is_union; /* a union stack: elements are unions */
};

struct hunion {
    char *name;
    int n;
    int *hdrs;
    char **members; /* member names from the union type, n of them */
    int stack, stack_pos;
};

/* Expression op list (stack machine). */
enum eop {
    E_FIELD,            /* push field a */
    E_CONST,            /* push consts[a] */
    E_PARAM,            /* push action parameter a */
    E_LOCAL,            /* push local a */
    E_VALID,            /* push valid(header a) */
    E_VALID_UNION,      /* push any valid in union a */
    E_HDR,              /* push header index a (header-valued expressions) */
    E_UNION,            /* push union index a */
    E_STACK_DEREF,      /* pop idx; push header index stacks[a].hdrs[idx] */
    E_USTACK_DEREF,     /* pop idx; push union index */
    E_ACCESS_FIELD,     /* pop header index; push its field number a */
    E_ACCESS_FIELD_ID,  /* the same, pushing the field id (lvalues) */
    E_ACCESS_UNION_HDR, /* pop union index; push header of it at position a */
    E_LAST_INDEX,       /* push next index - 1 of stack a */
    E_SIZE,             /* push size of stack a */
    E_REGISTER,         /* pop idx; push register a cell */
    E_ADD,
    E_SUB,
    E_MUL,
    E_DIV,
    E_MOD,
    E_SHL,
    E_SHR,
    E_AND,
    E_OR,
    E_XOR,
    E_EQ,
    E_NE,
    E_LT,
    E_LE,
    E_GT,
    E_GE,
    E_LAND,
    E_LOR,
    E_LNOT,
    E_NOT,
    E_NEG,
    E_TWO_COMP, /* pop width, pop v: sign-extend v from width */
    E_USAT,
    E_SAT, /* pop width, pop v: saturate */
    E_JZ,  /* pop; jump to a if zero */
    E_JMP, /* jump to a */
    E_NOP,
    /* only in narrow expressions, after load (load.c peephole): */
    E_SLOT,   /* push PHV slot a */
    E_HVALID, /* push valid(header a) */
};

struct eins {
    uint16_t op;
    uint16_t b; /* E_PARAM: words of the parameter (a is its word offset) */
    uint32_t a;
};

struct expr {
    struct eins *ins;
    int n;
    int max_stack;
    int narrow; /* every value fits 62 bits: evaluate on uint64_t */
    int nw;     /* else: words every intermediate value fits (<= VAL_W) */
};

/* A place a primitive reads or writes. */
enum ref_kind {
    R_NONE,
    R_FIELD,  /* field id */
    R_HEADER, /* header id */
    R_STACK,  /* stack id */
    R_USTACK, /* union stack id */
    R_UNION,  /* union id */
    R_EXPR,   /* value expression */
    R_LVEXPR, /* expression yielding a field id / header id (runtime index) */
    R_PARAM,  /* action parameter */
    R_CONST,  /* constant (in the expr) */
    R_OBJ, /* object id (counter, meter, register, calculation, field list) */
    R_STRING,
};
struct ref {
    enum ref_kind kind;
    int id;
    struct expr *e; /* R_EXPR, R_LVEXPR, R_CONST */
    char *str;
};

enum prim_op {
    PR_ASSIGN,
    PR_ASSIGN_VL,
    PR_ASSIGN_HEADER,
    PR_ASSIGN_UNION,
    PR_ASSIGN_STACK,
    PR_ASSIGN_USTACK,
    PR_ADD_HEADER,
    PR_ADD_HEADER_FAST,
    PR_REMOVE_HEADER,
    PR_PUSH,
    PR_POP,
    PR_MARK_TO_DROP,
    PR_DROP,
    PR_EXIT,
    PR_COUNT,
    PR_EXECUTE_METER,
    PR_REGISTER_READ,
    PR_REGISTER_WRITE,
    PR_HASH,
    PR_RNG,
    PR_CLONE_I2E,
    PR_CLONE_E2E,
    PR_RESUBMIT,
    PR_RECIRCULATE,
    PR_TRUNCATE,
    PR_DIGEST,
    PR_LOG_MSG,
    PR_ASSERT,
    PR_ASSUME,
    PR_NOOP,
    PR_ADD_TO_FIELD,
    PR_SUB_FROM_FIELD,
    PR_COPY_HEADER,
    PR_NO_OP,
    PR_JMP_IF_FALSE,
    PR_JMP,
    PR_ADD,
    PR_SUBTRACT,
    PR_BIT_AND,
    PR_BIT_OR,
    PR_BIT_XOR,
    PR_SHIFT_LEFT,
    PR_SHIFT_RIGHT,
    PR_VERIFY_CKSUM,
    PR_UPDATE_CKSUM,
};

/* A narrow assignment "field = const | param | field | narrow expr" that
 * run_action does inline (load.c sets it up). */
enum fast_src {
    FS_NONE,
    FS_CONST,
    FS_PARAM,
    FS_FIELD,
    FS_EXPR,
    FS_ADD_CONST,
    FS_WIDE_PARAM, /* wide field = parameter: nsrc words from sidx, dnw
                      words to dslot, the top one masked with dmask */
};
struct prim {
    int op; /* enum prim_op */
    int n;
    struct ref *args;
    enum fast_src fast;
    uint32_t dslot;     /* destination slot */
    uint64_t dmask;     /* destination width mask */
    uint32_t sidx;      /* const index, parameter index or source slot */
    uint16_t dnw, nsrc; /* FS_WIDE_PARAM: words of the field / parameter */
    char *where;        /* assert/assume: "FRAGMENT failed, file F, line L" */
};

struct action {
    struct sw_action_info info;
    struct sw_param_info *params;
    /* argument words: parameter i is at args + poff[i], VAL_WORDS(bitwidth)
     * words; poff[n_params] is the total */
    uint32_t *poff;
    int n_prims;
    struct prim *prims;
};

/* Parser */
enum pop_kind { P_EXTRACT, P_EXTRACT_VL, P_SET, P_VERIFY, P_ADVANCE, P_PRIM };
struct pop {
    enum pop_kind kind;
    struct ref dst;  /* extract: header / stack; set: field */
    struct ref src;  /* set: value; verify: cond; advance: bits; VL: bits */
    struct ref src2; /* verify: error */
    struct prim prim;
};

enum tkey_kind { K_FIELD, K_STACK_FIELD, K_USTACK_FIELD, K_LOOKAHEAD };
struct tkey {
    enum tkey_kind kind;
    int a, b; /* field id | stack,fieldpos | ustack, hdrpos, fieldpos */
    int c;
    int bits;   /* width */
    int offset; /* lookahead offset */
};

struct transition {
    int kind;                 /* 0 value, 1 default, 2 vset */
    uint8_t *value, *mask;    /* key_bytes long */
    uint64_t value64, mask64; /* the same as integers (k64 states) */
    int vset;
    int next; /* state index or -1 (accept) */
};

struct pstate {
    char *name;
    int n_ops;
    struct pop *ops;
    int n_keys;
    struct tkey *keys;
    int key_bytes;
    int n_trans;
    struct transition *trans;
    int k64_slot;   /* one narrow field key: its slot, else -1 */
    int nokey_next; /* no key and no value set: the next state (-1 accept),
                       else -2 */
};

struct parser {
    char *name;
    int init;
    int n_states;
    struct pstate *states;
};

/* Calculations (hashes / checksums) */
enum algo {
    A_CRC16,
    A_CRC32,
    A_CRC16_CUSTOM,
    A_CRC32_CUSTOM,
    A_CSUM16,
    A_XOR16,
    A_IDENTITY,
    A_RANDOM,
    A_CRC8,
    A_CRC64,
    A_CRCCCITT,
    A_CSUM16_ALT,
};
struct calc_in {
    int kind; /* 0 field, 1 const (val,bits), 2 payload, 3 header (all fields)
               */
    int id;
    struct val v;
    int bits;
};
struct calc {
    char *name;
    enum algo algo;
    int n_in;
    struct calc_in *in;
    int has_payload;
    int narrow_prefix; /* leading inputs that are fields of <= 56 bits */
    uint32_t *nslots;  /* their slots and widths */
    uint8_t *nwidths;
    uint8_t *cshift; /* csum16 of fields <= 48 bits: each field's shift
                        within its 16-bit word (2^16 = 1 modulo 2^16 - 1),
                        else NULL */
    int has_crc;     /* custom CRC parameters set */
    struct sw_crc_params crc;
};

struct checksum {
    char *name;
    int target; /* field */
    int calc;
    int verify, update;
    struct expr *cond; /* may be NULL */
};

struct field_list {
    char *name;
    int id;
    int n;
    int *fields;
};

/* An entry of "extern_instances": an object of a target-specific extern type
 * (p4c emits them only with --emit-externs, for BMv2 targets built with
 * that type; simple_switch has none built in). */
struct ext_inst {
    char *name;
    char *type;
    int id;
};

struct learn_list {
    struct sw_object_info info;
    int n;
    int *fields;
};

/* Stateful arrays */
struct counter_arr {
    struct sw_object_info info;
    int direct_table; /* table index or -1 */
    uint64_t *bytes, *pkts;
};

struct meter_cell {
    struct sw_meter_rate rate[2];
    int n_rates;
    double tokens[2];
    uint64_t last_us;
};
struct meter_arr {
    struct sw_object_info info;
    int direct_table;
    int result_field; /* direct meters: field that gets the color */
    struct meter_cell *cells;
};

struct register_arr {
    struct sw_object_info info;
    unsigned cw;     /* words per cell: VAL_WORDS(bitwidth) */
    uint64_t *cells; /* size * cw words */
};

struct pvs {
    struct sw_object_info info;
    int bytes;
    int n, cap;
    uint8_t *vals, *masks; /* n * bytes each */
};

/* Tables */
struct mkey {
    struct sw_key_info info;
    struct ref src; /* field, or header for valid keys */
    int bytes;      /* bytes in the packed key */
    int off;        /* offset in the packed key */
    uint8_t *kmask; /* the key's "mask" attribute (bytes long), or NULL */
    int fast;       /* a narrow field: read slot, and with kmask64 */
    uint32_t slot;
    uint64_t kmask64;
};

/* An action with its arguments, ready to run. */
struct act_call {
    int action;     /* index in prog->actions, -1 = none */
    uint64_t *args; /* the action's poff[n_params] words (see struct action) */
};

struct entry {
    /* hot: what a lookup and a hit touch, first */
    uint64_t k64; /* key as a big-endian integer (k64 tables) */
    int plen;     /* lpm: prefix length in bits of the packed key */
    enum sw_action_ref_kind kind;
    struct act_call call;
    uint64_t cnt_bytes, cnt_pkts; /* direct counter */
    uint64_t last_hit_us;
    uint32_t ref; /* member or group */
    int used;
    /* cold */
    uint64_t handle;
    int priority;
    uint8_t *key, *mask; /* key_bytes each; key is masked (for matching) */
    uint8_t *raw;        /* the key as given (for dumps) */
    unsigned timeout_ms;
    uint64_t last_report_us; /* ageing: when last reported idle */
    struct meter_cell meter; /* direct meter */
    int is_const;
};

struct table {
    struct sw_table_info info;
    struct sw_key_info *key_infos;
    uint32_t *action_ids;
    int n_keys;
    struct mkey *keys;
    int key_bytes;
    int has_range, has_ternary,
        lpm_key; /* lpm_key: index of the lpm key or -1 */
    int k64;     /* exact/lpm with a packed key of <= 8 bytes from
                    narrow fields: looked up as one uint64_t */
    /* next tables: per action (index by action position in table), hit/miss */
    int *next_by_action; /* by global action index; node index or -1 */
    int next_hit, next_miss, has_hit_miss;
    int base_next;
    int act_prof; /* index or -1 */
    int direct_counter, direct_meter;
    struct act_call def, prog_def;
    enum sw_action_ref_kind def_kind;
    uint32_t def_ref;
    int def_set; /* default was set (for dump) */
    /* entries */
    struct entry *ents;
    int n_ents, cap_ents, n_used, free_head;
    uint64_t next_handle;
    /* exact / lpm index: open addressing on entry index+1 */
    uint32_t *hidx;
    size_t hcap;
    /* lpm: distinct prefix lengths present, longest first */
    int *plens;
    int n_plens;
    int *plen_count; /* per prefix length (0..key_bytes*8) */
    /* ternary/range: entry indices sorted by priority */
    int *order;
    int n_order;
    int dirty;
};

struct member {
    uint32_t handle;
    int used;
    struct act_call call;
    int refs;
};
struct group {
    uint32_t handle;
    int used;
    int n, cap;
    uint32_t *members;
    int refs;
};
struct act_prof {
    struct sw_object_info info;
    int calc; /* selector hash calculation or -1 */
    struct member *mbrs;
    int n_mbrs, cap_mbrs;
    struct group *grps;
    int n_grps, cap_grps;
};

/* Control graph node: a table or a conditional. */
struct cond {
    char *name;
    struct expr *e;
    int t_next, f_next;
};

/* A direct action call node (BMv2 JSON "action_calls"; p4c emits none). */
struct acall {
    char *name;
    int action; /* an action without parameters */
    int next;   /* node or -1 */
};

enum node_kind { N_TABLE, N_COND, N_ACTION_CALL };
struct node {
    enum node_kind kind;
    int idx;
};

struct pipeline {
    char *name;
    int init; /* node or -1 */
};

struct deparser {
    char *name;
    int n_prims;
    struct prim *prims;
    int n;
    int *hdrs; /* headers (or -1 - stack, -1000000 - union?) in order */
};

/* Standard metadata the packet path writes for every packet, by PHV slot and
 * width mask: an absent (or wider than 64 bits) field writes to the PHV's
 * last slot, a sink no field uses, with mask 0. */
enum {
    SMX_INGRESS_PORT,
    SMX_PACKET_LENGTH,
    SMX_INGRESS_TS,
    SMX_EGRESS_PORT,
    SMX_EGRESS_SPEC,
    SMX_ENQ_TS,
    SMX_ENQ_QDEPTH,
    SMX_DEQ_TIMEDELTA,
    SMX_DEQ_QDEPTH,
    SMX_EGRESS_TS,
    SMX_N
};
struct sm_slot {
    uint32_t slot;
    uint64_t mask;
};

struct prog {
    char *name;
    char *json;
    size_t json_len;
    int n_types;
    struct header_type *types;
    int n_fields;
    struct field *fields;
    int n_hdrs;
    struct header *hdrs;
    int n_stacks;
    struct hstack *stacks;
    int n_unions;
    struct hunion *unions;
    int n_slots;
    int n_consts;
    struct val *consts;
    int n_actions;
    struct action *actions;
    struct parser parser;
    int n_parsers;
    struct deparser deparser;
    int n_calcs;
    struct calc *calcs;
    int n_cksums;
    struct checksum *cksums;
    int n_flists;
    struct field_list *flists;
    int n_learns;
    struct learn_list *learns;
    int n_exts;
    struct ext_inst *exts;
    int n_counters;
    struct counter_arr *counters;
    int n_meters;
    struct meter_arr *meters;
    int n_registers;
    struct register_arr *registers;
    int n_pvs;
    struct pvs *pvss;
    int n_tables;
    struct table *tables;
    int n_profs;
    struct act_prof *profs;
    int n_conds;
    struct cond *conds;
    int n_acalls;
    struct acall *acalls;
    int n_nodes;
    struct node *nodes;
    struct pipeline ingress, egress;
    int n_errors;
    char **errors;
    int *error_vals;
    int n_locals;
    /* standard metadata fields (field ids, -1 if absent) */
    struct {
        int ingress_port, egress_spec, egress_port, instance_type,
            packet_length, enq_timestamp, enq_qdepth, deq_timedelta, deq_qdepth,
            ingress_global_timestamp, egress_global_timestamp, mcast_grp,
            egress_rid, checksum_error, parser_error, priority, clone_spec,
            lf_field_list, resubmit_flag, recirculate_flag;
    } sm;
    int err_no_error, err_too_short, err_no_match, err_stack_oob,
        err_hdr_too_short, err_parser_timeout, err_invalid_arg;
    struct sm_slot smx[SMX_N];
    struct hmap by_name; /* "kind:name" -> index+1 */
    int verify_needed;   /* some part of the program reads checksum_error */
    uint64_t *phv_init;  /* a reset PHV: zeros, metadata headers valid */
};

/* ---- packets ------------------------------------------------------------ */

struct sw;

struct pkt {
    struct pkt *next;
    uint8_t *buf; /* BUF_SIZE bytes, data at buf + off */
    uint32_t off, len;
    uint32_t payload; /* parser end: offset of the payload (from buf) */
    uint64_t *slots;  /* PHV */
    uint8_t *snext;   /* next index per stack */
    uint64_t id;
    uint32_t copy_id;
    uint32_t in_len;  /* length as received (packet_length) */
    uint32_t in_off;  /* off as received (for I2E clone / resubmit) */
    uint32_t in_port; /* port it was received on */
    int32_t len_adj;  /* bytes add_header / remove_header added (egress's
                         packet_length is in_len + len_adj, as BMv2's) */
    /* v1model side effects requested by primitives */
    int clone_kind; /* 0 none, 1 I2E, 2 E2E */
    uint32_t clone_session;
    int clone_flist;
    int resubmit_flist, recirc_flist; /* -1 none */
    uint32_t truncate_len;            /* 0 none */
    int exit_flag;
    uint64_t enq_us;
    uint32_t enq_depth;
    unsigned prio;
    uint32_t out_port;
    uint16_t *vlen;    /* varbit length in bits, per header */
    int learn_pending; /* learn list index or -1 */
};

/* ---- the switch ------------------------------------------------------------
 */

struct tm_queue {
    struct pkt *head, *tail;
    unsigned n, depth;
    uint64_t pps;
    double tokens;
    uint64_t last_us;
};

struct mc_node {
    int used;
    uint32_t rid;
    uint32_t *ports;
    size_t n_ports;
    int mgrp;       /* associated group id or -1 */
    uint32_t *lags; /* simple_pre_lag: one copy to a member of each */
    size_t n_lags;
};

/* A LAG of the replication engine (mc_set_lag_membership), by index. */
struct mc_lag {
    int used;
    uint32_t *ports; /* ascending */
    size_t n_ports;
};
#define MAX_LAGS 1024

struct mc_group {
    uint32_t id;
    int used;
    uint32_t *nodes;
    size_t n_nodes;
};

struct mirror {
    uint32_t id;
    int used;
    struct sw_mirror m;
};

struct learn_item {
    uint32_t list;
    uint64_t ts;
    uint8_t data[SW_MAX_DIGEST_BYTES]; /* fields, each at its byte width */
};

struct sw {
    pthread_mutex_t lock;
    struct sw_opts opts;
    struct prog *prog, *next_prog;
    uint64_t t0_us;
    uint64_t now_us; /* of the current batch */
    uint64_t pkt_ids;
    struct sw_stats st;
    /* packet pool */
    struct pkt *pkts;
    uint8_t *bufs;
    uint64_t *phv_mem;
    size_t phv_words; /* per packet */
    struct pkt *free_list;
    unsigned n_free;
    /* traffic manager */
    struct tm_queue *q; /* MAX_PORTS * priority_queues */
    uint16_t active[MAX_PORTS];
    uint8_t is_active[MAX_PORTS];
    unsigned n_active;
    unsigned queued;
    /* packets handed out by the last sw_process/sw_poll (freed next call) */
    struct pkt **out_held;
    size_t n_held, cap_held;
    /* multicast, mirroring */
    struct mc_group *groups;
    size_t n_groups;
    struct mc_node *nodes;
    size_t n_nodes;
    struct mc_lag *lags; /* MAX_LAGS once one is set */
    struct mirror *mirrors;
    size_t n_mirrors;
    /* digests */
    struct learn_item *learnq;
    unsigned learn_head, learn_n;
    /* scratch for calculations */
    uint8_t *scratch;
    size_t scratch_len;
    char tbuf[1024];
    /* ageing (ageing.c): the sweep thread and what it reports to */
    pthread_mutex_t age_mu;
    pthread_cond_t age_cv;
    pthread_t age_thread;
    int age_running, age_stop;
    unsigned age_sweep_ms;
    sw_ageing_fn age_fn;
    void *age_ctx;
    uint8_t
        keybuf[SW_MAX_KEY_BYTES + 8]; /* packed table key (8 bytes of slack) */
    uint32_t rng;
};

/* sw.c: the switch's clock, microseconds since its creation (the data
 * path's timestamps). */
uint64_t sw_clock_rel(struct sw *sw);

/* ageing.c: set up / start (idempotent) / stop and free the sweep thread */
void ageing_init(struct sw *sw);
void ageing_start(struct sw *sw);
void ageing_destroy(struct sw *sw);

/* exec.c */
/* Runs the parser (and checksum verification) on pk. */
void exec_parse(struct exec_ctx *x);
/* Runs the ingress or egress control. */
void exec_pipeline(struct exec_ctx *x, const struct pipeline *pl);
/* Updates checksums and writes valid headers in front of the payload. */
void exec_deparse(struct exec_ctx *x);
/* Resets the PHV of pk for program p: every header invalid, metadata zero and
 * valid. */
void exec_phv_reset(const struct prog *p, struct pkt *pk);
/* Computes calculation c over the packet (hash/checksum value). */
uint64_t exec_calc(struct exec_ctx *x, int c);
void exec_trace(struct exec_ctx *x, const char *fmt, ...) PRINTF_FMT(2, 3);
#define TRACE(x, ...)                                                          \
    do {                                                                       \
        if ((x)->sw->opts.trace)                                               \
            exec_trace(x, __VA_ARGS__);                                        \
    } while (0)
uint64_t meter_execute(struct meter_cell *m, uint64_t units, uint64_t now_us);
/* Shared by exec.c and exec_act.c. */
void val_add(struct val *a, const struct val *b);
void val_sub(struct val *a, const struct val *b);
void val_shl(struct val *a, unsigned s);
void val_shr(struct val *a, unsigned s);
/* A primitive argument's value / field id / header id. */
void exec_ref_val(struct exec_ctx *x, const struct ref *r, struct val *v);
/* The same, defining only the low 'need' words of v (1..VAL_W). */
void exec_ref_val_n(struct exec_ctx *x, const struct ref *r, struct val *v,
                    unsigned need);
uint64_t exec_ref_u64(struct exec_ctx *x, const struct ref *r);
int exec_ref_field(struct exec_ctx *x, const struct ref *r);
int exec_ref_header(struct exec_ctx *x, const struct ref *r);
void exec_hdr_make_valid(const struct prog *p, struct pkt *pk, int h);
void exec_hdr_invalidate(const struct prog *p, struct pkt *pk, int h);
/* Sets every field of header h to 0 (not its validity), as BMv2's
 * add_header does to a header it makes valid. */
void exec_hdr_zero(const struct prog *p, struct pkt *pk, int h);
void exec_hdr_copy(const struct prog *p, struct pkt *pk, int dst, int src);
/* A narrow expression (expr.narrow) on uint64_t. */
uint64_t exec_eval64(const struct expr *e, struct exec_ctx *x);
/* Runs one primitive; *pc is the action's program counter (jumps, exit). */
void exec_prim(struct exec_ctx *x, const struct prim *pr, int *pc);

static inline uint64_t
load_be64(const uint8_t *q)
{
    uint64_t x;
    memcpy(&x, q, 8);
    return __builtin_bswap64(x);
}

static inline void
store_be64(uint8_t *q, uint64_t x)
{
    x = __builtin_bswap64(x);
    memcpy(q, &x, 8);
}

/* What one expression/action evaluation sees. */
struct exec_ctx {
    struct sw *sw;
    const struct prog *p;
    struct pkt *pk;
    const uint64_t *params; /* action data (struct act_call.args) */
    uint64_t now_us;
};

static inline __attribute__((always_inline)) void
phv_get(const struct prog *p, const struct pkt *pk, int f, struct val *v)
{
    const struct field *fd = &p->fields[f];
    if (!fd->wide) {
        val_set_u64(v, pk->slots[fd->slot]);
    } else {
        memcpy(v->w, &pk->slots[fd->slot], fd->nw * sizeof v->w[0]);
        memset(&v->w[fd->nw], 0, (VAL_W - fd->nw) * sizeof v->w[0]);
    }
    if (fd->is_signed)
        val_sext(v, fd->width);
}
static inline __attribute__((always_inline)) void
phv_set(const struct prog *p, struct pkt *pk, int f, const struct val *v)
{
    const struct field *fd = &p->fields[f];
    if (!fd->wide) {
        uint64_t x = v->w[0];
        if (fd->width < 64)
            x &= (UINT64_C(1) << fd->width) - 1;
        pk->slots[fd->slot] = x;
    } else {
        uint64_t *d = &pk->slots[fd->slot];
        memcpy(d, v->w, fd->nw * sizeof v->w[0]);
        if (fd->width % 64)
            d[fd->nw - 1] &= (UINT64_C(1) << (fd->width % 64)) - 1;
    }
}
static inline uint64_t
phv_u64(const struct prog *p, const struct pkt *pk, int f)
{
    return f < 0 ? 0 : pk->slots[p->fields[f].slot];
}
static inline void
phv_set_u64(const struct prog *p, struct pkt *pk, int f, uint64_t x)
{
    if (f < 0)
        return;
    const struct field *fd = &p->fields[f];
    if (fd->width < 64)
        x &= (UINT64_C(1) << fd->width) - 1;
    pk->slots[fd->slot] = x;
    if (fd->wide)
        for (int i = 1; i < fd->nw; i++)
            pk->slots[fd->slot + i] = 0;
}

/* Action argument i of args (struct act_call.args) of action a, as a val. */
static inline void
act_arg_get(const struct action *a, const uint64_t *args, size_t i,
            struct val *v)
{
    uint32_t o = a->poff[i], n = a->poff[i + 1] - o;
    memcpy(v->w, args + o, n * sizeof v->w[0]);
    memset(&v->w[n], 0, (VAL_W - n) * sizeof v->w[0]);
}
/* Stores v (truncated to the parameter's width) as argument i. */
static inline void
act_arg_set(const struct action *a, uint64_t *args, size_t i,
            const struct val *v)
{
    struct val t = *v;
    val_trunc(&t, a->params[i].bitwidth);
    memcpy(args + a->poff[i], t.w,
           (a->poff[i + 1] - a->poff[i]) * sizeof t.w[0]);
}
/* Sets standard metadata field SMX_* (see struct sm_slot). */
static inline void
sm_set(const struct prog *p, struct pkt *pk, int which, uint64_t x)
{
    pk->slots[p->smx[which].slot] = x & p->smx[which].mask;
}

static inline int
hdr_valid(const struct prog *p, const struct pkt *pk, int h)
{
    return (int)pk->slots[p->hdrs[h].valid_slot];
}
static inline void
hdr_set_valid(const struct prog *p, struct pkt *pk, int h, int v)
{
    pk->slots[p->hdrs[h].valid_slot] = (uint64_t)v;
}

/* table.c: match tables. Keys are packed big-endian, key by key. */
void table_setup(struct table *t);
void table_destroy(struct table *t);
/* Adds an entry (key/mask key_bytes long; mask NULL = all ones); the caller
 * checked the action. Returns 0, -EEXIST, -ENOSPC. */
int table_insert(struct table *t, const uint8_t *key, const uint8_t *mask,
                 int plen, int prio, uint64_t *handle);
/* Entry index of handle, or -1. */
int table_find_handle(const struct table *t, uint64_t handle);
int table_remove(struct table *t, uint64_t handle);
void table_clear_entries(struct table *t);
/* Entry index matching the packed key, or -1. */
int table_lookup(struct table *t, const uint8_t *key);
/* The same for k64 tables, the key as a big-endian integer. */
int table_lookup64(struct table *t, uint64_t key);
/* Entry index with exactly this key/mask/priority, or -1. */
int table_find_key(struct table *t, const uint8_t *key, const uint8_t *mask,
                   int prio);
void act_call_free(struct act_call *c);
/* Packs an entry's match params into key/mask (t->key_bytes each) and the
 * prefix length; checks kinds and widths. */
int table_pack_entry(const struct table *t, const struct sw_match_param *m,
                     size_t n, uint8_t *key, uint8_t *mask, int *plen,
                     struct err *e);
/* A copy of action a's argument words args (caller frees). */
uint64_t *act_args_dup(const struct prog *p, int a, const uint64_t *args);
/* Builds args for action a from byte strings; checks count and widths. */
int act_call_build(const struct prog *p, int a, const struct sw_bytes *args,
                   size_t n, struct act_call *out, struct err *e);

/* load.c */
struct prog *prog_load(const char *json, size_t len, const char *name,
                       struct err *e);
void prog_free(struct prog *p);
int prog_field_by_name(const struct prog *p, const char *name);
/* Resolves a user name (full or unique suffix) of the given kind ("table",
 * "action", "counter", ...); returns the index or -1 with e set. */
int prog_lookup(const struct prog *p, const char *kind, const char *name,
                struct err *e);

/* expr.c */
struct exec_ctx;
void expr_free(struct expr *e);
/* Evaluates e; out gets every word (the sign fills those above e->nw). */
void expr_eval(const struct expr *e, struct exec_ctx *x, struct val *out);
/* Whether e evaluates to non-zero (conditions). */
int expr_true(const struct expr *e, struct exec_ctx *x);

#endif

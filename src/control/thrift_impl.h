/* thrift_impl.h - what thrift_proto.c, thrift_std.c and thrift_pre.c share:
 * the TBinaryProtocol value tree and writer, the call context and the service
 * tables. Not part of the contract (that is thrift.h). */
#ifndef FOP4_CONTROL_THRIFT_IMPL_H
#define FOP4_CONTROL_THRIFT_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include "control/cli_impl.h"
#include "lib/strbuf.h"
#include "lib/vec.h"

/* Thrift's wire types (TType). */
enum {
    TT_STOP = 0,
    TT_BOOL = 2,
    TT_BYTE = 3,
    TT_DOUBLE = 4,
    TT_I16 = 6,
    TT_I32 = 8,
    TT_I64 = 10,
    TT_STRING = 11,
    TT_STRUCT = 12,
    TT_MAP = 13,
    TT_SET = 14,
    TT_LIST = 15,
};

/* Message types. */
enum { TM_CALL = 1, TM_REPLY = 2, TM_EXCEPTION = 3, TM_ONEWAY = 4 };

/* One decoded value. Strings point into the received bytes. Structs keep
 * their fields in kids (each with its id); lists and sets their elements;
 * maps their keys and values alternately. */
struct tval {
    uint8_t type;
    uint8_t etype, vtype; /* list/set element type; map key and value types */
    int16_t id;           /* field id, inside a struct */
    int64_t i;            /* bool, byte, i16, i32, i64 */
    double d;
    const uint8_t *s; /* string */
    size_t len;
    struct tval *kids;
    size_t n;
};

/* A decoded call. */
struct tmsg {
    char name[128]; /* "service:method" or "method" */
    int type;
    int32_t seqid;
    struct tval args; /* a struct */
};

/* Decodes one message from p[0..len). Returns the bytes it takes, 0 if more
 * bytes are needed, -1 if malformed (msg says why). */
long tmsg_decode(const uint8_t *p, size_t len, struct tmsg *m, char *msg,
                 size_t msglen);
void tmsg_destroy(struct tmsg *m);

/* The field id of struct st, or NULL if absent or not of type type. */
const struct tval *tv_field(const struct tval *st, int id, int type);

/* Writer: appends TBinaryProtocol encodings to a strbuf. */
void tw_i8(struct strbuf *o, int v);
void tw_i16(struct strbuf *o, int v);
void tw_i32(struct strbuf *o, int32_t v);
void tw_i64(struct strbuf *o, int64_t v);
void tw_double(struct strbuf *o, double v);
void tw_bin(struct strbuf *o, const void *p, size_t n);
void tw_str(struct strbuf *o, const char *s);
void tw_field(struct strbuf *o, int type, int id);
void tw_stop(struct strbuf *o);
void tw_list(struct strbuf *o, int etype, size_t n);
void tw_map(struct strbuf *o, int ktype, int vtype, size_t n);
void tw_msg_begin(struct strbuf *o, const char *name, int type, int32_t seqid);
/* Struct field shorthands. */
void tw_f_i32(struct strbuf *o, int id, int32_t v);
void tw_f_i64(struct strbuf *o, int id, int64_t v);
void tw_f_str(struct strbuf *o, int id, const char *s);
void tw_f_bin(struct strbuf *o, int id, const void *p, size_t n);
void tw_f_bool(struct strbuf *o, int id, int v);

/* One call being served. A handler reads its arguments from args, writes
 * the result struct's fields to res (field 0 for the return value, or an
 * exception with tc_throw) and returns; the dispatcher ends the struct. */
struct tcall {
    struct cli *cli;
    struct sw *sw;
    const struct tval *args;
    struct strbuf *res;
    VEC(char *) strs; /* argument strings copied by tc_str, freed after */
};

/* Argument id of the call as an integer (0 if absent). */
int64_t tc_int(struct tcall *tc, int id);
/* Argument id as a NUL-terminated string ("" if absent), valid during the
 * call. */
const char *tc_str(struct tcall *tc, int id);
/* The same for a field of any struct. */
const char *tc_fstr(struct tcall *tc, const struct tval *st, int id);
/* Writes exception field 1 { 1: code } (every exception of BMv2's IDL has
 * this shape); logs why at info level. Returns -1. */
int tc_throw(struct tcall *tc, int code, const char *why);

/* BmCounterValue as result field 0 / read from argument id; a
 * list<BmMeterRateConfig> read from argument id (at most 2, -1 if malformed)
 * / as result field 0. Shared by the table calls (direct counters and
 * meters) and the counter and meter calls. */
void tw_counter_result(struct strbuf *o, uint64_t bytes, uint64_t packets);
void tc_counter_arg(struct tcall *tc, int id, uint64_t *bytes,
                    uint64_t *packets);
int tc_rates_arg(struct tcall *tc, int id, struct sw_meter_rate *rates,
                 size_t *n);
void tw_rates_result(struct strbuf *o, const struct sw_meter_rate *rates,
                     size_t n);

typedef int (*thrift_fn)(struct tcall *tc);
struct thrift_method {
    const char *name;
    thrift_fn fn;
};
/* NULL-terminated tables of the services. */
extern const struct thrift_method thrift_standard_methods[]; /* tables */
extern const struct thrift_method thrift_state_methods[];    /* the rest */
extern const struct thrift_method thrift_pre_methods[];
extern const struct thrift_method thrift_pre_lag_methods[];
extern const struct thrift_method thrift_sswitch_methods[];

#endif

/* thrift_proto.c - TBinaryProtocol (strict) over a buffered transport: the
 * message decoder, the writer, and the dispatcher that routes "service:method"
 * to the tables of thrift_std.c, thrift_state.c and thrift_pre.c (see
 * thrift.h).
 *
 * Wire format, big-endian: a message is i32 (0x8001 << 16 | type), string
 * name, i32 seqid, then the argument struct. A struct is a sequence of fields
 * (i8 type, i16 id, value) ended by a STOP byte; a string is i32 length +
 * bytes; a list/set is i8 element type + i32 count + elements; a map is i8 key
 * type + i8 value type + i32 count + pairs. A reply carries the method name
 * without the service prefix (as Thrift's multiplexed processor answers). */
#include "control/thrift.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control/thrift_impl.h"
#include "lib/log.h"

#define MAX_DEPTH 32

/* ---- decoder -------------------------------------------------------------
 */

struct rd {
    const uint8_t *p;
    size_t len, off;
    int short_read; /* ran out of bytes (more may come) */
    char *msg;
    size_t msglen;
};

static int
bad(struct rd *r, const char *fmt, ...)
{
    if (r->msg && r->msglen && !r->msg[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(r->msg, r->msglen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

static int
need(struct rd *r, size_t n)
{
    if (r->len - r->off < n) {
        r->short_read = 1;
        return -1;
    }
    return 0;
}

static uint64_t
get_be(struct rd *r, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v << 8 | r->p[r->off + i];
    r->off += n;
    return v;
}

static int
rd_int(struct rd *r, size_t n, int64_t *v)
{
    if (need(r, n) < 0)
        return -1;
    uint64_t u = get_be(r, n);
    /* sign-extend */
    if (n < 8 && (u >> (8 * n - 1)) & 1)
        u |= ~0ull << (8 * n);
    *v = (int64_t)u;
    return 0;
}

static int
rd_len(struct rd *r, int64_t *n)
{
    if (rd_int(r, 4, n) < 0)
        return -1;
    if (*n < 0)
        return bad(r, "negative length %lld", (long long)*n);
    if ((uint64_t)*n > THRIFT_MAX_MSG)
        return bad(r, "length %lld too large", (long long)*n);
    return 0;
}

static int
valid_type(int t)
{
    switch (t) {
    case TT_BOOL:
    case TT_BYTE:
    case TT_DOUBLE:
    case TT_I16:
    case TT_I32:
    case TT_I64:
    case TT_STRING:
    case TT_STRUCT:
    case TT_MAP:
    case TT_SET:
    case TT_LIST:
        return 1;
    default:
        return 0;
    }
}

static void tval_destroy(struct tval *v);

static int rd_val(struct rd *r, int type, struct tval *v, int depth);

/* Reads n elements of type t into v->kids; n was checked against the bytes
 * left (every element takes at least one byte), so the allocation is
 * bounded by the message. */
static int
rd_elems(struct rd *r, struct tval *v, int64_t n, const uint8_t *types,
         int ntypes, int depth)
{
    if ((uint64_t)n * (uint64_t)ntypes > r->len - r->off) {
        /* not here yet (or a lie, which ends at THRIFT_MAX_MSG) */
        r->short_read = 1;
        return -1;
    }
    size_t total = (size_t)n * (size_t)ntypes;
    v->kids = total ? xcalloc(total, sizeof *v->kids) : NULL;
    for (size_t i = 0; i < total; i++) {
        v->n = i + 1;
        if (rd_val(r, types[i % (size_t)ntypes], &v->kids[i], depth + 1) < 0)
            return -1;
    }
    v->n = total;
    return 0;
}

static int
rd_val(struct rd *r, int type, struct tval *v, int depth)
{
    int64_t x;
    v->type = (uint8_t)type;
    if (depth > MAX_DEPTH)
        return bad(r, "values nested deeper than %d", MAX_DEPTH);
    switch (type) {
    case TT_BOOL:
    case TT_BYTE:
        return rd_int(r, 1, &v->i);
    case TT_I16:
        return rd_int(r, 2, &v->i);
    case TT_I32:
        return rd_int(r, 4, &v->i);
    case TT_I64:
        return rd_int(r, 8, &v->i);
    case TT_DOUBLE: {
        if (rd_int(r, 8, &x) < 0)
            return -1;
        uint64_t u = (uint64_t)x;
        memcpy(&v->d, &u, sizeof v->d);
        return 0;
    }
    case TT_STRING:
        if (rd_len(r, &x) < 0 || need(r, (size_t)x) < 0)
            return -1;
        v->s = r->p + r->off;
        v->len = (size_t)x;
        r->off += (size_t)x;
        return 0;
    case TT_STRUCT: {
        VEC(struct tval) f = VEC_INIT;
        for (;;) {
            int64_t ft, id;
            if (rd_int(r, 1, &ft) < 0)
                break;
            if (ft == TT_STOP) {
                v->kids = f.v;
                v->n = f.n;
                return 0;
            }
            if (!valid_type((int)ft)) {
                bad(r, "unknown field type %lld", (long long)ft);
                break;
            }
            if (rd_int(r, 2, &id) < 0)
                break;
            struct tval k = {0};
            k.id = (int16_t)id;
            int rc = rd_val(r, (int)ft, &k, depth + 1);
            VEC_PUSH(&f, k);
            if (rc < 0)
                break;
        }
        v->kids = f.v;
        v->n = f.n;
        return -1;
    }
    case TT_LIST:
    case TT_SET: {
        int64_t et;
        if (rd_int(r, 1, &et) < 0 || rd_len(r, &x) < 0)
            return -1;
        if (!valid_type((int)et))
            return bad(r, "unknown element type %lld", (long long)et);
        v->etype = (uint8_t)et;
        uint8_t t[1] = {(uint8_t)et};
        return rd_elems(r, v, x, t, 1, depth);
    }
    case TT_MAP: {
        int64_t kt, vt;
        if (rd_int(r, 1, &kt) < 0 || rd_int(r, 1, &vt) < 0 || rd_len(r, &x) < 0)
            return -1;
        if (!valid_type((int)kt) || !valid_type((int)vt))
            return bad(r, "unknown map types %lld/%lld", (long long)kt,
                       (long long)vt);
        v->etype = (uint8_t)kt;
        v->vtype = (uint8_t)vt;
        uint8_t t[2] = {(uint8_t)kt, (uint8_t)vt};
        return rd_elems(r, v, x, t, 2, depth);
    }
    default:
        return bad(r, "unknown type %d", type);
    }
}

static void
tval_destroy(struct tval *v)
{
    for (size_t i = 0; i < v->n; i++)
        tval_destroy(&v->kids[i]);
    free(v->kids);
    v->kids = NULL;
    v->n = 0;
}

void
tmsg_destroy(struct tmsg *m)
{
    tval_destroy(&m->args);
}

long
tmsg_decode(const uint8_t *p, size_t len, struct tmsg *m, char *msg,
            size_t msglen)
{
    struct rd r = {p, len, 0, 0, msg, msglen};
    if (msg && msglen)
        msg[0] = '\0';
    memset(m, 0, sizeof *m);
    int64_t ver, nlen, seq, type;
    if (rd_int(&r, 4, &ver) < 0)
        return 0;
    /* strict: version word, then the name; old (non-strict) clients start
     * with the name's length and put the type after the name, and BMv2's
     * server takes both */
    int strict = ver < 0;
    if (strict && ((uint64_t)ver & 0xffff0000u) != 0x80010000u)
        return bad(&r,
                   "not a TBinaryProtocol message (version word 0x%08llx; "
                   "only TBinaryProtocol over a buffered transport is "
                   "spoken here)",
                   (unsigned long long)(uint32_t)ver);
    if (strict) {
        m->type = (int)(ver & 0xff);
        if (rd_len(&r, &nlen) < 0)
            return r.short_read ? 0 : -1;
    } else {
        nlen = ver;
    }
    if ((size_t)nlen >= sizeof m->name)
        return bad(&r, "method name of %lld bytes", (long long)nlen);
    if (need(&r, (size_t)nlen) < 0)
        return 0;
    memcpy(m->name, p + r.off, (size_t)nlen);
    m->name[nlen] = '\0';
    r.off += (size_t)nlen;
    if (!strict) {
        if (rd_int(&r, 1, &type) < 0)
            return 0;
        m->type = (int)type;
    }
    if (rd_int(&r, 4, &seq) < 0)
        return 0;
    m->seqid = (int32_t)seq;
    if (rd_val(&r, TT_STRUCT, &m->args, 0) < 0) {
        int more = r.short_read;
        tval_destroy(&m->args);
        if (more) {
            if (len > THRIFT_MAX_MSG)
                return bad(&r, "message larger than %u bytes", THRIFT_MAX_MSG);
            return 0;
        }
        return -1;
    }
    return (long)r.off;
}

const struct tval *
tv_field(const struct tval *st, int id, int type)
{
    if (!st || st->type != TT_STRUCT)
        return NULL;
    for (size_t i = 0; i < st->n; i++)
        if (st->kids[i].id == id)
            return st->kids[i].type == type ? &st->kids[i] : NULL;
    return NULL;
}

/* ---- writer --------------------------------------------------------------
 */

static void
put_be(struct strbuf *o, uint64_t v, int n)
{
    char b[8];
    for (int i = 0; i < n; i++)
        b[i] = (char)(v >> (8 * (n - 1 - i)));
    strbuf_add(o, b, (size_t)n);
}

void
tw_i8(struct strbuf *o, int v)
{
    put_be(o, (uint64_t)v, 1);
}

void
tw_i16(struct strbuf *o, int v)
{
    put_be(o, (uint64_t)v, 2);
}

void
tw_i32(struct strbuf *o, int32_t v)
{
    put_be(o, (uint64_t)(uint32_t)v, 4);
}

void
tw_i64(struct strbuf *o, int64_t v)
{
    put_be(o, (uint64_t)v, 8);
}

void
tw_double(struct strbuf *o, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_be(o, u, 8);
}

void
tw_bin(struct strbuf *o, const void *p, size_t n)
{
    tw_i32(o, (int32_t)n);
    if (n)
        strbuf_add(o, p, n);
}

void
tw_str(struct strbuf *o, const char *s)
{
    tw_bin(o, s, strlen(s));
}

void
tw_field(struct strbuf *o, int type, int id)
{
    tw_i8(o, type);
    tw_i16(o, id);
}

void
tw_stop(struct strbuf *o)
{
    tw_i8(o, TT_STOP);
}

void
tw_list(struct strbuf *o, int etype, size_t n)
{
    tw_i8(o, etype);
    tw_i32(o, (int32_t)n);
}

void
tw_map(struct strbuf *o, int ktype, int vtype, size_t n)
{
    tw_i8(o, ktype);
    tw_i8(o, vtype);
    tw_i32(o, (int32_t)n);
}

void
tw_msg_begin(struct strbuf *o, const char *name, int type, int32_t seqid)
{
    tw_i32(o, (int32_t)(0x80010000u | (uint32_t)type));
    tw_str(o, name);
    tw_i32(o, seqid);
}

void
tw_f_i32(struct strbuf *o, int id, int32_t v)
{
    tw_field(o, TT_I32, id);
    tw_i32(o, v);
}

void
tw_f_i64(struct strbuf *o, int id, int64_t v)
{
    tw_field(o, TT_I64, id);
    tw_i64(o, v);
}

void
tw_f_str(struct strbuf *o, int id, const char *s)
{
    tw_field(o, TT_STRING, id);
    tw_str(o, s);
}

void
tw_f_bin(struct strbuf *o, int id, const void *p, size_t n)
{
    tw_field(o, TT_STRING, id);
    tw_bin(o, p, n);
}

void
tw_f_bool(struct strbuf *o, int id, int v)
{
    tw_field(o, TT_BOOL, id);
    tw_i8(o, v ? 1 : 0);
}

/* ---- calls ---------------------------------------------------------------
 */

int64_t
tc_int(struct tcall *tc, int id)
{
    if (!tc->args)
        return 0;
    for (size_t i = 0; i < tc->args->n; i++) {
        const struct tval *v = &tc->args->kids[i];
        if (v->id == id &&
            (v->type == TT_I32 || v->type == TT_I64 || v->type == TT_I16 ||
             v->type == TT_BYTE || v->type == TT_BOOL))
            return v->i;
    }
    return 0;
}

const char *
tc_fstr(struct tcall *tc, const struct tval *st, int id)
{
    const struct tval *v = tv_field(st, id, TT_STRING);
    if (!v)
        return "";
    char *s = xstrndup((const char *)v->s, v->len);
    VEC_PUSH(&tc->strs, s);
    return s;
}

const char *
tc_str(struct tcall *tc, int id)
{
    return tc_fstr(tc, tc->args, id);
}

int
tc_throw(struct tcall *tc, int code, const char *why)
{
    LOG(LOG_INFO, "thrift: error code %d%s%s", code, why && *why ? ": " : "",
        why ? why : "");
    tw_field(tc->res, TT_STRUCT, 1);
    tw_f_i32(tc->res, 1, code);
    tw_stop(tc->res);
    return -1;
}

static const struct {
    const char *service;
    const struct thrift_method *methods;
} services[] = {
    {"standard", thrift_standard_methods},
    {"standard", thrift_state_methods},
    {"simple_pre_lag", thrift_pre_lag_methods},
    {"simple_pre", thrift_pre_methods},
    {"simple_switch", thrift_sswitch_methods},
};

static thrift_fn
find_method(const char *name, const char **bare)
{
    const char *colon = strchr(name, ':');
    *bare = colon ? colon + 1 : name;
    for (size_t s = 0; s < ARRAY_SIZE(services); s++) {
        if (colon &&
            (strlen(services[s].service) != (size_t)(colon - name) ||
             strncmp(services[s].service, name, (size_t)(colon - name))))
            continue;
        for (const struct thrift_method *m = services[s].methods; m->name; m++)
            if (!strcmp(m->name, *bare))
                return m->fn;
    }
    return NULL;
}

/* TApplicationException { 1: string message, 2: i32 type }. */
static void
app_exception(struct strbuf *out, const char *name, int32_t seqid, int type,
              const char *message)
{
    tw_msg_begin(out, name, TM_EXCEPTION, seqid);
    tw_f_str(out, 1, message);
    tw_f_i32(out, 2, type);
    tw_stop(out);
}

static void
call(struct cli *c, const struct tmsg *m, struct strbuf *out)
{
    const char *bare;
    thrift_fn fn = find_method(m->name, &bare);
    if (!fn) {
        LOG(LOG_INFO, "thrift: unknown method '%s'", m->name);
        if (m->type != TM_ONEWAY) {
            char why[200];
            snprintf(why, sizeof why, "Invalid method name: '%s'", m->name);
            app_exception(out, bare, m->seqid, 1 /* UNKNOWN_METHOD */, why);
        }
        return;
    }
    LOG(LOG_DEBUG, "thrift: %s", m->name);
    struct strbuf res = STRBUF_INIT;
    struct tcall tc = {c, c->sw, &m->args, &res, VEC_INIT};
    fn(&tc);
    for (size_t i = 0; i < tc.strs.n; i++)
        free(tc.strs.v[i]);
    VEC_FREE(&tc.strs);
    if (m->type != TM_ONEWAY) {
        tw_msg_begin(out, bare, TM_REPLY, m->seqid);
        strbuf_add(out, res.s ? res.s : "", res.len);
        tw_stop(out);
    }
    strbuf_destroy(&res);
}

int
thrift_serve(struct cli *c, const uint8_t *in, size_t len, size_t *used,
             struct strbuf *out)
{
    size_t off = 0;
    int rc = 0;
    while (off < len) {
        struct tmsg m;
        char why[160];
        long n = tmsg_decode(in + off, len - off, &m, why, sizeof why);
        if (n == 0)
            break;
        if (n < 0) {
            LOG(LOG_WARN,
                "thrift: malformed message, closing the connection: "
                "%s",
                why[0] ? why : "bad encoding");
            rc = -1;
            break;
        }
        off += (size_t)n;
        if (m.type != TM_CALL && m.type != TM_ONEWAY) {
            LOG(LOG_WARN,
                "thrift: message type %d is not a call, closing "
                "the connection",
                m.type);
            tmsg_destroy(&m);
            rc = -1;
            break;
        }
        call(c, &m, out);
        tmsg_destroy(&m);
    }
    *used = off;
    return rc;
}

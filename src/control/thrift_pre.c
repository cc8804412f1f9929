/* thrift_pre.c - the "simple_pre", "simple_pre_lag" (BMv2's
 * thrift_src/simple_pre*.thrift: multicast groups, nodes, LAGs) and
 * "simple_switch" (targets/simple_switch/thrift/simple_switch.thrift:
 * mirroring sessions, queues, clocks) services of the Thrift RPC, over the
 * switch API (sw.h). A group's handle is its id, as in BMv2 (runtime_CLI
 * checks it); port and LAG maps are strings of '0'/'1', port 0 rightmost. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "control/thrift_impl.h"
#include "lib/log.h"

/* McOperationErrorCode */
enum {
    MC_TABLE_FULL = 1,
    MC_INVALID_MGID = 2,
    MC_INVALID_MGRP_HANDLE = 3,
    MC_INVALID_L1_HANDLE = 4,
    MC_ERROR = 5
};

static int
mc_throw(struct tcall *tc, int rc, int enoent, const struct err *e)
{
    int code = rc == -ENOSPC   ? MC_TABLE_FULL
               : rc == -ENOENT ? enoent
                               : MC_ERROR;
    if (rc == -ENOENT && strstr(e->msg, "node"))
        code = MC_INVALID_L1_HANDLE;
    return tc_throw(tc, code, e->msg);
}

/* The '0'/'1' map string at argument id as a list of indexes (ascending).
 * Returns the list (call-lifetime memory) or NULL after throwing. */
static uint32_t *
map_arg(struct tcall *tc, int id, size_t *n)
{
    const char *s = tc_str(tc, id);
    size_t len = strlen(s);
    uint32_t *v = xcalloc(len + 1, sizeof *v);
    VEC_PUSH(&tc->strs, (char *)v);
    *n = 0;
    for (size_t i = len; i-- > 0;) {
        if (s[i] == '1')
            v[(*n)++] = (uint32_t)(len - 1 - i);
        else if (s[i] != '0') {
            tc_throw(tc, MC_ERROR, "port/lag map must be a string of 0 and 1");
            return NULL;
        }
    }
    return v;
}

static int
mgrp_create(struct tcall *tc)
{
    int64_t g = tc_int(tc, 2);
    struct err e = {0};
    int rc = g < 0 ? err_set(&e, -EINVAL, "negative group id")
                   : sw_mc_mgrp_create(tc->sw, (uint32_t)g, &e);
    if (rc < 0)
        return tc_throw(tc, MC_INVALID_MGID, e.msg);
    tw_f_i32(tc->res, 0, (int32_t)g);
    return 0;
}

static int
mgrp_destroy(struct tcall *tc)
{
    struct err e = {0};
    int rc = sw_mc_mgrp_destroy(tc->sw, (uint32_t)tc_int(tc, 2), &e);
    return rc < 0 ? mc_throw(tc, rc, MC_INVALID_MGRP_HANDLE, &e) : 0;
}

static int
node_create_common(struct tcall *tc, int with_lags)
{
    size_t np = 0, nl = 0;
    uint32_t *ports = map_arg(tc, 3, &np);
    uint32_t *lags = ports && with_lags ? map_arg(tc, 4, &nl) : NULL;
    if (!ports || (with_lags && !lags))
        return -1;
    struct err e = {0};
    uint32_t h = 0;
    int rc =
        sw_mc_node_create(tc->sw, (uint32_t)tc_int(tc, 2), ports, np, &h, &e);
    if (rc == 0 && nl) {
        rc = sw_mc_node_set_lags(tc->sw, h, lags, nl, &e);
        if (rc < 0)
            sw_mc_node_destroy(tc->sw, h, NULL);
    }
    if (rc < 0)
        return mc_throw(tc, rc, MC_ERROR, &e);
    tw_f_i32(tc->res, 0, (int32_t)h);
    return 0;
}

static int
node_create(struct tcall *tc)
{
    return node_create_common(tc, 0);
}

static int
node_create_lag(struct tcall *tc)
{
    return node_create_common(tc, 1);
}

static int
node_update_common(struct tcall *tc, int with_lags)
{
    size_t np = 0, nl = 0;
    uint32_t *ports = map_arg(tc, 3, &np);
    uint32_t *lags = ports && with_lags ? map_arg(tc, 4, &nl) : NULL;
    if (!ports || (with_lags && !lags))
        return -1;
    uint32_t h = (uint32_t)tc_int(tc, 2);
    struct err e = {0};
    int rc = with_lags ? sw_mc_node_set_lags(tc->sw, h, lags, nl, &e) : 0;
    if (rc == 0)
        rc = sw_mc_node_update(tc->sw, h, ports, np, &e);
    return rc < 0 ? mc_throw(tc, rc, MC_INVALID_L1_HANDLE, &e) : 0;
}

static int
node_update(struct tcall *tc)
{
    return node_update_common(tc, 0);
}

static int
node_update_lag(struct tcall *tc)
{
    return node_update_common(tc, 1);
}

static int
node_associate(struct tcall *tc)
{
    struct err e = {0};
    int rc = sw_mc_node_associate(tc->sw, (uint32_t)tc_int(tc, 2),
                                  (uint32_t)tc_int(tc, 3), &e);
    return rc < 0 ? mc_throw(tc, rc, MC_INVALID_MGRP_HANDLE, &e) : 0;
}

static int
node_dissociate(struct tcall *tc)
{
    struct err e = {0};
    int rc = sw_mc_node_dissociate(tc->sw, (uint32_t)tc_int(tc, 2),
                                   (uint32_t)tc_int(tc, 3), &e);
    return rc < 0 ? mc_throw(tc, rc, MC_INVALID_MGRP_HANDLE, &e) : 0;
}

static int
node_destroy(struct tcall *tc)
{
    struct err e = {0};
    int rc = sw_mc_node_destroy(tc->sw, (uint32_t)tc_int(tc, 2), &e);
    return rc < 0 ? mc_throw(tc, rc, MC_INVALID_L1_HANDLE, &e) : 0;
}

static int
set_lag_membership(struct tcall *tc)
{
    size_t np = 0;
    uint32_t *ports = map_arg(tc, 3, &np);
    if (!ports)
        return -1;
    int64_t lag = tc_int(tc, 2);
    struct err e = {0};
    int rc = lag < 0 ? err_set(&e, -EINVAL, "negative lag index")
                     : sw_mc_set_lag_membership(tc->sw, (uint32_t)lag, ports,
                                                np, &e);
    return rc < 0 ? tc_throw(tc, MC_ERROR, e.msg) : 0;
}

static int
get_entries(struct tcall *tc)
{
    struct strbuf j = STRBUF_INIT;
    cli_mc_entries_json(tc->sw, &j);
    tw_f_str(tc->res, 0, strbuf_str(&j));
    strbuf_destroy(&j);
    return 0;
}

const struct thrift_method thrift_pre_methods[] = {
    {"bm_mc_mgrp_create", mgrp_create},
    {"bm_mc_mgrp_destroy", mgrp_destroy},
    {"bm_mc_node_create", node_create},
    {"bm_mc_node_associate", node_associate},
    {"bm_mc_node_dissociate", node_dissociate},
    {"bm_mc_node_destroy", node_destroy},
    {"bm_mc_node_update", node_update},
    {"bm_mc_get_entries", get_entries},
    {NULL, NULL},
};

const struct thrift_method thrift_pre_lag_methods[] = {
    {"bm_mc_mgrp_create", mgrp_create},
    {"bm_mc_mgrp_destroy", mgrp_destroy},
    {"bm_mc_node_create", node_create_lag},
    {"bm_mc_node_associate", node_associate},
    {"bm_mc_node_dissociate", node_dissociate},
    {"bm_mc_node_destroy", node_destroy},
    {"bm_mc_node_update", node_update_lag},
    {"bm_mc_set_lag_membership", set_lag_membership},
    {"bm_mc_get_entries", get_entries},
    {NULL, NULL},
};

/* ---- simple_switch ----------------------------------------------------------
 */

enum { MIRROR_SESSION_NOT_FOUND = 1 };

static int
mirroring_session_add(struct tcall *tc)
{
    const struct tval *cfg = tv_field(tc->args, 2, TT_STRUCT);
    const struct tval *port = tv_field(cfg, 1, TT_I32);
    const struct tval *mgid = tv_field(cfg, 2, TT_I32);
    struct sw_mirror m = {port ? (int)port->i : -1, mgid ? (int)mgid->i : -1};
    struct err e = {0};
    if (sw_mirroring_add(tc->sw, (uint32_t)tc_int(tc, 1), &m, &e) < 0)
        return tc_throw(tc, MIRROR_SESSION_NOT_FOUND, e.msg);
    return 0;
}

static int
mirroring_session_delete(struct tcall *tc)
{
    struct err e = {0};
    if (sw_mirroring_delete(tc->sw, (uint32_t)tc_int(tc, 1), &e) < 0)
        return tc_throw(tc, MIRROR_SESSION_NOT_FOUND, e.msg);
    return 0;
}

static int
mirroring_session_get(struct tcall *tc)
{
    struct sw_mirror m;
    struct err e = {0};
    if (sw_mirroring_get(tc->sw, (uint32_t)tc_int(tc, 1), &m, &e) < 0)
        return tc_throw(tc, MIRROR_SESSION_NOT_FOUND, e.msg);
    tw_field(tc->res, TT_STRUCT, 0);
    if (m.port >= 0)
        tw_f_i32(tc->res, 1, m.port);
    if (m.mgrp >= 0)
        tw_f_i32(tc->res, 2, m.mgrp);
    tw_stop(tc->res);
    return 0;
}

/* The deprecated mirroring_mapping_* calls return an i32 instead of
 * throwing. */
static int
mirroring_mapping_add(struct tcall *tc)
{
    struct sw_mirror m = {(int)tc_int(tc, 2), -1};
    int rc = sw_mirroring_add(tc->sw, (uint32_t)tc_int(tc, 1), &m, NULL);
    tw_f_i32(tc->res, 0, rc < 0 ? 1 : 0);
    return 0;
}

static int
mirroring_mapping_delete(struct tcall *tc)
{
    int rc = sw_mirroring_delete(tc->sw, (uint32_t)tc_int(tc, 1), NULL);
    tw_f_i32(tc->res, 0, rc < 0 ? 0 : 1); /* sessions erased */
    return 0;
}

static int
mirroring_mapping_get_egress_port(struct tcall *tc)
{
    struct sw_mirror m;
    int rc = sw_mirroring_get(tc->sw, (uint32_t)tc_int(tc, 1), &m, NULL);
    tw_f_i32(tc->res, 0, rc < 0 ? -1 : m.port);
    return 0;
}

/* The queue calls return 0 on success, 1 on failure (BMv2's int status). */
static int
queue_result(struct tcall *tc, int rc, const struct err *e)
{
    if (rc < 0)
        LOG(LOG_INFO, "thrift: %s", e->msg);
    tw_f_i32(tc->res, 0, rc < 0 ? 1 : 0);
    return 0;
}

static int
queue_depth(struct tcall *tc, int port, int prio, int64_t depth)
{
    struct err e = {0};
    int rc = depth < 0
                 ? err_set(&e, -EINVAL, "negative depth")
                 : sw_set_queue_depth(tc->sw, port, prio, (unsigned)depth, &e);
    return queue_result(tc, rc, &e);
}

static int
queue_rate(struct tcall *tc, int port, int prio, int64_t pps)
{
    struct err e = {0};
    int rc = pps < 0 ? err_set(&e, -EINVAL, "negative rate")
                     : sw_set_queue_rate(tc->sw, port, prio, (uint64_t)pps, &e);
    return queue_result(tc, rc, &e);
}

static int
set_egress_queue_depth(struct tcall *tc)
{
    return queue_depth(tc, (int)tc_int(tc, 1), -1, tc_int(tc, 2));
}

static int
set_egress_priority_queue_depth(struct tcall *tc)
{
    return queue_depth(tc, (int)tc_int(tc, 1), (int)tc_int(tc, 2),
                       tc_int(tc, 3));
}

static int
set_all_egress_queue_depths(struct tcall *tc)
{
    return queue_depth(tc, -1, -1, tc_int(tc, 1));
}

static int
set_egress_queue_rate(struct tcall *tc)
{
    return queue_rate(tc, (int)tc_int(tc, 1), -1, tc_int(tc, 2));
}

static int
set_egress_priority_queue_rate(struct tcall *tc)
{
    return queue_rate(tc, (int)tc_int(tc, 1), (int)tc_int(tc, 2),
                      tc_int(tc, 3));
}

static int
set_all_egress_queue_rates(struct tcall *tc)
{
    return queue_rate(tc, -1, -1, tc_int(tc, 1));
}

static int
get_time_elapsed_us(struct tcall *tc)
{
    struct sw_info info;
    sw_get_info(tc->sw, &info);
    tw_f_i64(tc->res, 0, (int64_t)info.uptime_us);
    return 0;
}

static int
get_time_since_epoch_us(struct tcall *tc)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    tw_f_i64(tc->res, 0, (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
    return 0;
}

const struct thrift_method thrift_sswitch_methods[] = {
    {"mirroring_mapping_add", mirroring_mapping_add},
    {"mirroring_mapping_delete", mirroring_mapping_delete},
    {"mirroring_mapping_get_egress_port", mirroring_mapping_get_egress_port},
    {"mirroring_session_add", mirroring_session_add},
    {"mirroring_session_delete", mirroring_session_delete},
    {"mirroring_session_get", mirroring_session_get},
    {"set_egress_queue_depth", set_egress_queue_depth},
    {"set_egress_priority_queue_depth", set_egress_priority_queue_depth},
    {"set_all_egress_queue_depths", set_all_egress_queue_depths},
    {"set_egress_queue_rate", set_egress_queue_rate},
    {"set_egress_priority_queue_rate", set_egress_priority_queue_rate},
    {"set_all_egress_queue_rates", set_all_egress_queue_rates},
    {"get_time_elapsed_us", get_time_elapsed_us},
    {"get_time_since_epoch_us", get_time_since_epoch_us},
    {NULL, NULL},
};

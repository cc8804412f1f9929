/* test_ageing.c - table entry ageing (BMv2's table_set_timeout and ageing
 * notifications): which idle entries a sweep reports, on a clock the test
 * drives; hits restart an entry's timer; the sweep thread calls the hook;
 * tables without support_timeout refuse timeouts; dumps say how long ago an
 * entry was hit. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "switch/sw.h"
#include "test.h"

/* tests/switch-core/data/ageing.json: h.a (32 bits) exact -> fwd(port);
 * table "t" has support_timeout, table "u" has not. */
static char prog[4096];

static struct sw *
new_sw(const struct sw_opts *o)
{
    struct err e = {0};
    struct sw *sw = sw_new(prog, o, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    return sw;
}

static uint64_t clock_now_us;

static uint64_t
test_clock(void *ctx)
{
    (void)ctx;
    return clock_now_us;
}

static uint64_t
add(struct sw *sw, const char *table, uint32_t a, uint8_t port)
{
    struct err e = {0};
    uint8_t key[4] = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8),
                      (uint8_t)a};
    uint8_t p[1] = {port};
    struct sw_match_param m = {.kind = SW_MATCH_EXACT, .key = {key, 4}};
    struct sw_bytes arg = {p, 1};
    struct sw_action_ref ar = {SW_REF_ACTION, "fwd", &arg, 1, 0};
    uint64_t h = 999;
    CHECK_INT(sw_table_add(sw, table, &m, 1, 0, &ar, &h, &e), 0);
    return h;
}

/* Sends a frame with h.a = a; returns the egress port or -1. */
static int
send(struct sw *sw, uint32_t a)
{
    uint8_t f[4] = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8),
                    (uint8_t)a};
    struct sw_pkt in = {0, 4, f}, out[2];
    size_t n = 0;
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    return n == 1 ? (int)out[0].port : -1;
}

struct seen {
    int n;
    uint64_t handles[16];
    char table[16][32];
};

static void
on_aged(void *ctx, const char *table, uint64_t handle)
{
    struct seen *s = ctx;
    if (s->n < 16) {
        s->handles[s->n] = handle;
        snprintf(s->table[s->n], sizeof s->table[0], "%s", table);
    }
    s->n++;
}

static void
on_entry(void *ctx, const struct sw_entry_info *ei)
{
    if (!ei->is_default)
        *(uint64_t *)ctx = ei->ms_since_hit;
}

static void
test_sweeps_report_idle_entries(void)
{
    struct sw_opts o;
    sw_opts_init(&o);
    o.clock = test_clock;
    clock_now_us = 1000000;
    struct err e = {0};
    struct sw *sw = new_sw(&o);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint64_t h0 = add(sw, "t", 1, 1), h1 = add(sw, "t", 2, 2);
    add(sw, "t", 3, 3); /* no timeout: never reported */
    CHECK_INT(sw_table_set_timeout(sw, "t", h0, 100, &e), 0);
    CHECK_INT(sw_table_set_timeout(sw, "t", h1, 200, &e), 0);
    struct seen s = {0};
    clock_now_us += 50000; /* 50 ms */
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 0);
    clock_now_us += 70000; /* 120 ms: h0 idle past its 100 ms */
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 1);
    CHECK_INT(s.handles[0], h0);
    CHECK_STR(s.table[0], "t");
    clock_now_us += 30000; /* 150 ms: a hit on h1 restarts its timer */
    CHECK_INT(send(sw, 2), 2);
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 0); /* h0 was just reported */
    uint64_t since = 999;
    CHECK_INT(sw_table_read(sw, "t", h1, on_entry, &since, &e), 0);
    CHECK_INT(since, 0);
    CHECK_INT(sw_table_read(sw, "t", h0, on_entry, &since, &e), 0);
    CHECK_INT(since, 150);
    clock_now_us += 80000; /* 230 ms: h0 idle another timeout; h1 80 ms */
    s.n = 0;
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 1);
    CHECK_INT(s.handles[0], h0);
    clock_now_us += 130000; /* 360 ms: both */
    s.n = 0;
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 2);
    /* a timeout of 0 turns ageing off for the entry */
    CHECK_INT(sw_table_set_timeout(sw, "t", h0, 0, &e), 0);
    clock_now_us += 1000000;
    s.n = 0;
    CHECK_INT(sw_ageing_poll(sw, on_aged, &s), 1);
    CHECK_INT(s.handles[0], h1);
    sw_free(sw);
}

static void
test_timeout_needs_support(void)
{
    struct err e = {0};
    struct sw *sw = new_sw(NULL);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint64_t h = add(sw, "u", 1, 1);
    CHECK_INT(sw_table_set_timeout(sw, "u", h, 100, &e), -EINVAL);
    CHECK(strstr(e.msg, "does not support timeouts") != NULL);
    err_clear(&e);
    CHECK_INT(sw_table_set_timeout(sw, "t", 42, 100, &e) < 0, 1);
    sw_free(sw);
}

static void
test_sweep_thread_calls_hook(void)
{
    struct err e = {0};
    struct sw *sw = new_sw(NULL);
    CHECK(sw != NULL);
    if (!sw)
        return;
    static struct seen s; /* the thread writes it until sw_free */
    memset(&s, 0, sizeof s);
    CHECK_INT(sw_ageing_get_interval(sw), 1000); /* BMv2's default */
    sw_ageing_set_interval(sw, 10);
    sw_ageing_set_hook(sw, on_aged, &s);
    uint64_t h = add(sw, "t", 7, 1);
    CHECK_INT(sw_table_set_timeout(sw, "t", h, 30, &e), 0);
    for (int i = 0; i < 300 && !__atomic_load_n(&s.n, __ATOMIC_SEQ_CST); i++)
        nanosleep(&(struct timespec){0, 10000000}, NULL); /* <= 3 s */
    sw_free(sw);                                          /* joins the thread */
    CHECK(s.n >= 1);
    CHECK_INT(s.handles[0], h);
}

int
main(void)
{
    const char *root = getenv("FOP4_ROOT");
    snprintf(prog, sizeof prog, "%s/tests/switch-core/data/ageing.json",
             root ? root : ".");
    RUN_TEST(test_sweeps_report_idle_entries);
    RUN_TEST(test_timeout_needs_support);
    RUN_TEST(test_sweep_thread_calls_hook);
    TEST_EXIT();
}

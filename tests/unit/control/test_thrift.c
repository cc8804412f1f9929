/* test_thrift.c - the Thrift codec and server (thrift.h): values of every type
 * survive a write/decode round trip; a message is not served before its last
 * byte arrives, whatever the split; a 500 KiB bm_load_new_config arriving in
 * 64 KiB pieces loads; thousands of mutated messages (bytes flipped, cut,
 * inserted, lengths made huge) never crash the server, and it still serves good
 * calls and forwards afterwards. Fixed seed. The switch parts need the shared
 * corpus ($FOP4_SHARED) and are skipped without it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "control/cli.h"
#include "control/thrift.h"
#include "control/thrift_impl.h"
#include "lib/log.h"
#include "lib/util.h"
#include "switch/sw.h"
#include "test.h"

static char shared[512];
static unsigned seed = 4242;

static unsigned
rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static void
test_codec_round_trip(void)
{
    struct strbuf o = STRBUF_INIT;
    tw_msg_begin(&o, "standard:x", TM_CALL, 77);
    tw_f_bool(&o, 1, 1);
    tw_field(&o, TT_BYTE, 2);
    tw_i8(&o, -5);
    tw_field(&o, TT_I16, 3);
    tw_i16(&o, -300);
    tw_f_i32(&o, 4, -70000);
    tw_f_i64(&o, 5, -5000000000ll);
    tw_field(&o, TT_DOUBLE, 6);
    tw_double(&o, 2.5);
    tw_f_bin(&o, 7, "a\0b", 3);
    tw_field(&o, TT_STRUCT, 8);
    tw_f_str(&o, 1, "inner");
    tw_stop(&o);
    tw_field(&o, TT_LIST, 9);
    tw_list(&o, TT_I32, 3);
    tw_i32(&o, 1);
    tw_i32(&o, 2);
    tw_i32(&o, 3);
    tw_field(&o, TT_MAP, 10);
    tw_map(&o, TT_STRING, TT_I64, 1);
    tw_str(&o, "k");
    tw_i64(&o, 9);
    tw_stop(&o);

    struct tmsg m;
    char why[100];
    CHECK_INT(tmsg_decode((const uint8_t *)o.s, o.len, &m, why, sizeof why),
              (long)o.len);
    CHECK_STR(m.name, "standard:x");
    CHECK_INT(m.type, TM_CALL);
    CHECK_INT(m.seqid, 77);
    const struct tval *v;
    CHECK((v = tv_field(&m.args, 1, TT_BOOL)) && v->i == 1);
    CHECK((v = tv_field(&m.args, 2, TT_BYTE)) && v->i == -5);
    CHECK((v = tv_field(&m.args, 3, TT_I16)) && v->i == -300);
    CHECK((v = tv_field(&m.args, 4, TT_I32)) && v->i == -70000);
    CHECK((v = tv_field(&m.args, 5, TT_I64)) && v->i == -5000000000ll);
    CHECK((v = tv_field(&m.args, 6, TT_DOUBLE)) && v->d == 2.5);
    CHECK((v = tv_field(&m.args, 7, TT_STRING)) && v->len == 3 &&
          !memcmp(v->s, "a\0b", 3));
    CHECK((v = tv_field(&m.args, 8, TT_STRUCT)) && tv_field(v, 1, TT_STRING) &&
          tv_field(v, 1, TT_STRING)->len == 5);
    CHECK((v = tv_field(&m.args, 9, TT_LIST)) && v->n == 3 &&
          v->kids[2].i == 3);
    CHECK((v = tv_field(&m.args, 10, TT_MAP)) && v->n == 2 &&
          v->kids[1].i == 9);
    CHECK(tv_field(&m.args, 4, TT_I64) == NULL); /* wrong type */
    tmsg_destroy(&m);
    /* every proper prefix asks for more bytes */
    int all_wait = 1;
    for (size_t k = 0; k < o.len; k++) {
        long r = tmsg_decode((const uint8_t *)o.s, k, &m, why, sizeof why);
        all_wait &= r == 0;
    }
    CHECK(all_wait);
    strbuf_destroy(&o);

    /* the older non-strict form: name length, name, type, seqid */
    struct strbuf ns = STRBUF_INIT;
    tw_str(&ns, "standard:bm_get_config");
    tw_i8(&ns, TM_CALL);
    tw_i32(&ns, 9);
    tw_stop(&ns);
    CHECK_INT(tmsg_decode((const uint8_t *)ns.s, ns.len, &m, why, sizeof why),
              (long)ns.len);
    CHECK_STR(m.name, "standard:bm_get_config");
    CHECK_INT(m.type, TM_CALL);
    CHECK_INT(m.seqid, 9);
    tmsg_destroy(&m);
    strbuf_destroy(&ns);
}

/* ---- against a switch ------------------------------------------------------
 */

static void
add_entry_msg(struct strbuf *o, int32_t seq, uint8_t last_octet)
{
    uint8_t ip[4] = {10, 0, 7, last_octet}, nh[4] = {10, 0, 0, 1},
            port[2] = {0, 1};
    tw_msg_begin(o, "standard:bm_mt_add_entry", TM_CALL, seq);
    tw_f_i32(o, 1, 0);
    tw_f_str(o, 2, "ipv4_lpm");
    tw_field(o, TT_LIST, 3);
    tw_list(o, TT_STRUCT, 1);
    tw_f_i32(o, 1, 1); /* LPM */
    tw_field(o, TT_STRUCT, 3);
    tw_f_bin(o, 1, ip, 4);
    tw_f_i32(o, 2, 32);
    tw_stop(o);
    tw_stop(o);
    tw_f_str(o, 4, "set_nhop");
    tw_field(o, TT_LIST, 5);
    tw_list(o, TT_STRING, 2);
    tw_bin(o, nh, 4);
    tw_bin(o, port, 2);
    tw_field(o, TT_STRUCT, 6);
    tw_stop(o);
    tw_stop(o);
}

static void
simple_msg(struct strbuf *o, const char *name, int32_t seq)
{
    tw_msg_begin(o, name, TM_CALL, seq);
    tw_f_i32(o, 1, 0);
    tw_f_str(o, 2, "ipv4_lpm");
    tw_stop(o);
}

static void
node_create_msg(struct strbuf *o, int32_t seq)
{
    tw_msg_begin(o, "simple_pre_lag:bm_mc_node_create", TM_CALL, seq);
    tw_f_i32(o, 1, 0);
    tw_f_i32(o, 2, 3);
    tw_f_str(o, 3, "110");
    tw_f_str(o, 4, "100");
    tw_stop(o);
}

/* Counts the replies in out and whether any carries an exception. */
static int
count_replies(const struct strbuf *out, int *exceptions)
{
    size_t off = 0;
    int n = 0;
    *exceptions = 0;
    while (off < out->len) {
        struct tmsg m;
        long r = tmsg_decode((const uint8_t *)out->s + off, out->len - off, &m,
                             NULL, 0);
        if (r <= 0)
            return -1;
        for (size_t i = 0; i < m.args.n; i++)
            *exceptions += m.args.kids[i].id != 0;
        *exceptions += m.type == TM_EXCEPTION;
        tmsg_destroy(&m);
        off += (size_t)r;
        n++;
    }
    return n;
}

static struct sw *
router(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/corpus/bmv2/mininet/simple_router.json",
             shared);
    struct err e = {0};
    return sw_new(path, NULL, &e);
}

static void
test_split_points(void)
{
    struct sw *sw = router();
    CHECK(sw != NULL);
    if (!sw)
        return;
    struct cli *c = cli_new(sw);
    struct strbuf in = STRBUF_INIT;
    add_entry_msg(&in, 1, 1);
    simple_msg(&in, "standard:bm_mt_get_entries", 2);
    node_create_msg(&in, 3);
    simple_msg(&in, "standard:bm_mt_get_num_entries", 4);
    int ok = 1;
    for (size_t k = 0; k <= in.len; k++) {
        sw_reset_state(sw);
        struct strbuf out = STRBUF_INIT;
        size_t used1 = 0, used2 = 0;
        int rc1 = thrift_serve(c, (const uint8_t *)in.s, k, &used1, &out);
        int rc2 = thrift_serve(c, (const uint8_t *)in.s + used1, in.len - used1,
                               &used2, &out);
        int exc = 0;
        if (rc1 || rc2 || used1 + used2 != in.len ||
            count_replies(&out, &exc) != 4 || exc)
            ok = 0;
        strbuf_destroy(&out);
    }
    CHECK(ok);
    strbuf_destroy(&in);
    cli_free(c);
    sw_free(sw);
}

static void
test_big_config(void)
{
    char path[700];
    snprintf(path, sizeof path, "%s/corpus/fop4/eINT/int.json", shared);
    size_t len = 0;
    char *json = read_file(path, &len);
    if (!json) {
        printf("  (no %s: skipped)\n", path);
        return;
    }
    struct sw *sw = router();
    struct cli *c = cli_new(sw);
    struct strbuf msg = STRBUF_INIT;
    tw_msg_begin(&msg, "standard:bm_load_new_config", TM_CALL, 1);
    tw_f_bin(&msg, 1, json, len);
    tw_stop(&msg);
    tw_msg_begin(&msg, "standard:bm_swap_configs", TM_CALL, 2);
    tw_stop(&msg);
    /* as the control socket does: append what arrives, serve, keep the rest */
    struct strbuf buf = STRBUF_INIT, out = STRBUF_INIT;
    for (size_t off = 0; off < msg.len; off += 65536) {
        strbuf_add(&buf, msg.s + off, MIN((size_t)65536, msg.len - off));
        size_t used = 0;
        CHECK_INT(thrift_serve(c, (const uint8_t *)buf.s, buf.len, &used, &out),
                  0);
        memmove(buf.s, buf.s + used, buf.len - used);
        buf.len -= used;
    }
    int exc = 0;
    CHECK_INT(count_replies(&out, &exc), 2);
    CHECK_INT(exc, 0);
    size_t now = 0;
    CHECK(sw_get_config(sw, &now) != NULL && now == len);
    strbuf_destroy(&buf);
    strbuf_destroy(&out);
    strbuf_destroy(&msg);
    free(json);
    cli_free(c);
    sw_free(sw);
}

static void
mutate(struct strbuf *m)
{
    size_t len = m->len;
    switch (rnd() % 6) {
    case 0: /* flip bits */
        for (int i = 0, n = 1 + (int)(rnd() % 4); i < n && len; i++)
            m->s[rnd() % len] ^= (char)(1u << (rnd() % 8));
        break;
    case 1: /* cut */
        m->len = len ? rnd() % len : 0;
        break;
    case 2: { /* insert junk */
        size_t at = len ? rnd() % len : 0;
        char junk[16];
        size_t n = 1 + rnd() % sizeof junk;
        for (size_t i = 0; i < n; i++)
            junk[i] = (char)rnd();
        strbuf_add(m, junk, n); /* grow, then shift */
        memmove(m->s + at + n, m->s + at, len - at);
        memcpy(m->s + at, junk, n);
        break;
    }
    case 3: /* a huge or negative length or count somewhere */
        if (len > 8) {
            size_t at = 4 + rnd() % (len - 8);
            uint32_t v = rnd() % 2 ? 0x7fffffffu : 0xfffffff0u;
            for (int i = 0; i < 4; i++)
                m->s[at + (size_t)i] = (char)(v >> (24 - 8 * i));
        }
        break;
    case 4: /* a random byte as a field type */
        if (len > 30)
            m->s[20 + rnd() % (len - 30)] = (char)(rnd() % 20);
        break;
    default: /* deep nesting: lists of lists */
        for (int i = 0; i < 40; i++) {
            char l[5] = {TT_LIST, 0, 0, 0, 1};
            strbuf_add(m, l, 5);
        }
        break;
    }
}

/* Every method, with (cxt 0, "ipv4_lpm") as arguments: most refuse them. */
static const char *const methods[] = {
    "standard:bm_mt_get_entries",
    "standard:bm_mt_clear_entries",
    "standard:bm_mt_get_default_entry",
    "standard:bm_mt_get_entry",
    "standard:bm_mt_get_entry_from_key",
    "standard:bm_mt_set_default_action",
    "standard:bm_mt_modify_entry",
    "standard:bm_mt_delete_entry",
    "standard:bm_mt_set_entry_ttl",
    "standard:bm_mt_indirect_add_entry",
    "standard:bm_mt_indirect_ws_add_entry",
    "standard:bm_mt_indirect_set_default_member",
    "standard:bm_mt_read_counter",
    "standard:bm_mt_set_meter_rates",
    "standard:bm_mt_get_meter_rates",
    "standard:bm_mt_act_prof_add_member",
    "standard:bm_mt_act_prof_get_members",
    "standard:bm_mt_act_prof_get_group",
    "standard:bm_counter_read",
    "standard:bm_counter_write",
    "standard:bm_meter_set_rates",
    "standard:bm_meter_array_set_rates",
    "standard:bm_register_read",
    "standard:bm_register_read_all",
    "standard:bm_register_write_range",
    "standard:bm_parse_vset_add",
    "standard:bm_parse_vset_get",
    "standard:bm_learning_ack",
    "standard:bm_get_id_from_name",
    "standard:bm_set_crc16_custom_parameters",
    "standard:bm_serialize_state",
    "standard:bm_get_config_md5",
    "standard:bm_mgmt_get_info",
    "standard:bm_dev_mgr_show_ports",
    "standard:bm_dev_mgr_add_port",
    "simple_pre:bm_mc_node_update",
    "simple_pre_lag:bm_mc_get_entries",
    "simple_pre_lag:bm_mc_set_lag_membership",
    "simple_pre_lag:bm_mc_node_associate",
    "simple_switch:mirroring_session_add",
    "simple_switch:mirroring_session_get",
    "simple_switch:set_egress_priority_queue_rate",
    "simple_switch:get_time_elapsed_us",
    "nosuch:bm_mt_get_entries",
    "bm_mt_get_num_entries",
};

static void
test_fuzz_messages(void)
{
    struct sw *sw = router();
    CHECK(sw != NULL);
    if (!sw)
        return;
    struct cli *c = cli_new(sw);
    int served = 0, refused = 0;
    for (int it = 0; it < 20000; it++) {
        struct strbuf m = STRBUF_INIT;
        switch (rnd() % 5) {
        case 0:
            add_entry_msg(&m, it, (uint8_t)rnd());
            break;
        case 1:
            simple_msg(&m, "standard:bm_mt_get_entries", it);
            break;
        case 2:
            node_create_msg(&m, it);
            break;
        case 3:
            simple_msg(&m, "standard:bm_mt_clear_entries", it);
            break;
        default:
            simple_msg(&m, methods[rnd() % ARRAY_SIZE(methods)], it);
            break;
        }
        if (rnd() % 8) /* some go unmutated: the refusal paths of each call */
            mutate(&m);
        struct strbuf out = STRBUF_INIT;
        size_t used = 0;
        int rc = thrift_serve(c, (const uint8_t *)(m.s ? m.s : ""), m.len,
                              &used, &out);
        if (rc < 0)
            refused++;
        else
            served += used > 0;
        strbuf_destroy(&out);
        strbuf_destroy(&m);
    }
    CHECK(served > 100 && refused > 100);
    /* still serves a good call */
    sw_reset_state(sw);
    struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
    add_entry_msg(&in, 1, 9);
    size_t used = 0;
    CHECK_INT(thrift_serve(c, (const uint8_t *)in.s, in.len, &used, &out), 0);
    int exc = 1;
    CHECK_INT(count_replies(&out, &exc), 1);
    CHECK_INT(exc, 0);
    struct err e = {0};
    CHECK_INT(sw_table_num_entries(sw, "ipv4_lpm", &e), 1);
    /* and forwards: an IPv4 frame goes through the pipeline */
    uint8_t frame[64] = {0};
    frame[12] = 0x08;
    frame[14] = 0x45;
    struct sw_pkt pin = {1, sizeof frame, frame}, pout[8];
    size_t n = 0;
    CHECK_INT(sw_process(sw, &pin, 1, pout, 8, &n), 0);
    strbuf_destroy(&in);
    strbuf_destroy(&out);
    cli_free(c);
    sw_free(sw);
}

int
main(void)
{
    const char *s = getenv("FOP4_SHARED");
    if (getenv("FUZZ_SEED"))
        seed = (unsigned)strtoul(getenv("FUZZ_SEED"), NULL, 10);
    snprintf(shared, sizeof shared, "%s", s ? s : "../shared");
    log_min_level = LOG_OFF; /* the refusals are expected */
    RUN_TEST(test_codec_round_trip);
    char probe[700];
    snprintf(probe, sizeof probe, "%s/corpus/bmv2/mininet/simple_router.json",
             shared);
    if (access(probe, R_OK) != 0) {
        printf("SKIP: test_thrift switch parts (no corpus at %s)\n", shared);
        TEST_EXIT();
    }
    RUN_TEST(test_split_points);
    RUN_TEST(test_big_config);
    RUN_TEST(test_fuzz_messages);
    TEST_EXIT();
}

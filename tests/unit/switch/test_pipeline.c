/* test_pipeline.c - packets through the switch core: BMv2's simple_router
 * with stress_test_commands.txt's entries (forwarding, TTL, checksum, drops,
 * malformed frames), the tutorials' multicast solution (replication, rid),
 * the control API's errors, the trace hook, config swap and --no-p4. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "switch/sw.h"
#include "test.h"

static char router[4096], mcast[4096];

static int
have(const char *path)
{
    struct stat st;
    return !stat(path, &st);
}

static void
install_router(struct sw *sw)
{
    struct err e = {0};
    struct sw_action_ref drop = {.kind = SW_REF_ACTION, .action = "_drop"};
    CHECK_INT(sw_table_set_default(sw, "send_frame", &drop, &e), 0);
    CHECK_INT(sw_table_set_default(sw, "forward", &drop, &e), 0);
    CHECK_INT(sw_table_set_default(sw, "ipv4_lpm", &drop, &e), 0);
    for (int i = 0; i < 2; i++) {
        uint8_t port[1] = {(uint8_t)(i + 1)},
                mac[6] = {0, 0xaa, 0xbb, 0, 0, (uint8_t)i};
        struct sw_match_param m = {.kind = SW_MATCH_EXACT, .key = {port, 1}};
        struct sw_bytes a = {mac, 6};
        struct sw_action_ref ar = {SW_REF_ACTION, "rewrite_mac", &a, 1, 0};
        uint64_t h;
        CHECK_INT(sw_table_add(sw, "send_frame", &m, 1, 0, &ar, &h, &e), 0);
        uint8_t ip[4] = {10, 0, (uint8_t)i, 10},
                dmac[6] = {0, 4, 0, 0, 0, (uint8_t)i};
        struct sw_match_param m2 = {.kind = SW_MATCH_EXACT, .key = {ip, 4}};
        struct sw_bytes a2 = {dmac, 6};
        struct sw_action_ref ar2 = {SW_REF_ACTION, "set_dmac", &a2, 1, 0};
        CHECK_INT(sw_table_add(sw, "forward", &m2, 1, 0, &ar2, &h, &e), 0);
        uint8_t p2[1] = {(uint8_t)(i + 1)};
        struct sw_match_param m3 = {
            .kind = SW_MATCH_LPM, .key = {ip, 4}, .prefix_len = 32};
        struct sw_bytes a3[2] = {{ip, 4}, {p2, 1}};
        struct sw_action_ref ar3 = {SW_REF_ACTION, "set_nhop", a3, 2, 0};
        CHECK_INT(sw_table_add(sw, "ipv4_lpm", &m3, 1, 0, &ar3, &h, &e), 0);
    }
    if (e.code)
        printf("  %s\n", e.msg);
}

/* 10.0.0.10 -> 10.0.1.10, TTL 64, valid header checksum, UDP */
static const uint8_t udp_pkt[42] = {
    0x00, 0xaa, 0xbb, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00,
    0x00, 0x08, 0x00, 0x45, 0x00, 0x00, 0x1c, 0x00, 0x01, 0x00, 0x00,
    0x40, 0x11, 0x65, 0xbd, 0x0a, 0x00, 0x00, 0x0a, 0x0a, 0x00, 0x01,
    0x0a, 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x08, 0x00, 0x00};

static uint16_t
csum(const uint8_t *b, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)(b[i] << 8 | b[i + 1]);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static void
test_router_forwards(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(router, NULL, &e);
    CHECK(sw != NULL);
    if (!sw)
        return;
    install_router(sw);
    CHECK_INT(csum(udp_pkt + 14, 20), 0);
    struct sw_pkt in = {1, sizeof udp_pkt, udp_pkt}, out[4];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 4, &n), 0);
    CHECK_INT(n, 1);
    if (n == 1) {
        const uint8_t *o = out[0].data;
        static const uint8_t dmac[6] = {0, 4, 0, 0, 0, 1},
                             smac[6] = {0, 0xaa, 0xbb, 0, 0, 1};
        CHECK_INT(out[0].port, 2);
        CHECK_INT(out[0].len, sizeof udp_pkt);
        CHECK(!memcmp(o, dmac, 6));
        CHECK(!memcmp(o + 6, smac, 6));
        CHECK_INT(o[22], 63);                    /* TTL decremented */
        CHECK_INT(csum(o + 14, 20), 0);          /* checksum updated */
        CHECK(!memcmp(o + 34, udp_pkt + 34, 8)); /* payload untouched */
    }
    /* the updated checksum is right for any header contents */
    unsigned seed = 7;
    for (int r = 0; r < 300; r++) {
        uint8_t pk[42];
        memcpy(pk, udp_pkt, sizeof pk);
        for (int i = 15; i < 22; i++)
            pk[i] = (uint8_t)rand_r(&seed);
        pk[22] = (uint8_t)(2 + rand_r(&seed) % 250); /* TTL */
        pk[23] = (uint8_t)rand_r(&seed);
        pk[26] = (uint8_t)rand_r(&seed); /* source address */
        pk[29] = (uint8_t)rand_r(&seed);
        pk[24] = pk[25] = 0;
        uint16_t c = csum(pk + 14, 20);
        pk[24] = (uint8_t)(c >> 8);
        pk[25] = (uint8_t)c;
        struct sw_pkt rin = {1, sizeof pk, pk}, rout[2];
        size_t rn;
        sw_process(sw, &rin, 1, rout, 2, &rn);
        if (rn != 1 || csum(rout[0].data + 14, 20) != 0) {
            CHECK(0);
            break;
        }
    }
    /* unknown destination: ipv4_lpm's default _drop */
    uint8_t other[42];
    memcpy(other, udp_pkt, sizeof other);
    other[33] = 99;
    in.data = other;
    CHECK_INT(sw_process(sw, &in, 1, out, 4, &n), 0);
    CHECK_INT(n, 0);
    /* malformed: 20 bytes (ipv4 cut short) - parser error, no crash */
    in.len = 20;
    CHECK_INT(sw_process(sw, &in, 1, out, 4, &n), 0);
    /* a batch: 64 good packets */
    struct sw_pkt batch[64], outs[64];
    for (int i = 0; i < 64; i++)
        batch[i] = (struct sw_pkt){1, sizeof udp_pkt, udp_pkt};
    CHECK_INT(sw_process(sw, batch, 64, outs, 64, &n), 0);
    CHECK_INT(n, 64);
    struct sw_stats st;
    sw_get_stats(sw, &st);
    CHECK_INT(st.rx, 367);
    CHECK_INT(st.tx, 365);
    sw_free(sw);
}

static void
test_control_errors(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(router, NULL, &e);
    if (!sw)
        return;
    uint8_t ip[4] = {10, 0, 0, 1}, big[5] = {1, 0, 0, 0, 1}, port[2] = {0, 1};
    struct sw_bytes a[2] = {{ip, 4}, {port, 2}};
    struct sw_action_ref ar = {SW_REF_ACTION, "set_nhop", a, 2, 0};
    struct sw_match_param m = {
        .kind = SW_MATCH_LPM, .key = {ip, 4}, .prefix_len = 24};
    uint64_t h;
    CHECK_INT(sw_table_add(sw, "ipv4_lmp", &m, 1, 0, &ar, &h, &e), -ENOENT);
    CHECK(strstr(e.msg, "did you mean 'ipv4_lpm'") != NULL);
    err_clear(&e);
    m.key = (struct sw_bytes){big, 5};
    CHECK_INT(sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &h, &e), -EINVAL);
    CHECK(strstr(e.msg, "does not fit in 32 bits") != NULL);
    err_clear(&e);
    m.key = (struct sw_bytes){ip, 4};
    m.prefix_len = 33;
    CHECK_INT(sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &h, &e), -EINVAL);
    err_clear(&e);
    m.prefix_len = 24;
    struct sw_action_ref bad = {SW_REF_ACTION, "rewrite_mac", a, 1, 0};
    CHECK(sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &bad, &h, &e) < 0);
    CHECK(strstr(e.msg, "not an action of table") != NULL);
    err_clear(&e);
    CHECK_INT(sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &h, &e), 0);
    uint64_t h2;
    CHECK_INT(sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &h2, &e), -EEXIST);
    err_clear(&e);
    CHECK_INT(sw_table_num_entries(sw, "ipv4_lpm", &e), 1);
    uint64_t found;
    CHECK_INT(sw_table_find(sw, "ipv4_lpm", &m, 1, 0, &found, &e), 0);
    CHECK_INT(found, h);
    CHECK_INT(sw_table_delete(sw, "ipv4_lpm", h, &e), 0);
    CHECK_INT(sw_table_delete(sw, "ipv4_lpm", h, &e), -EINVAL);
    CHECK_INT(sw_table_num_entries(sw, "ipv4_lpm", &e), 0);
    sw_free(sw);
}

static int trace_lines, trace_hit;

static void
trace(void *ctx, uint64_t id, uint32_t copy, const char *line)
{
    (void)ctx;
    (void)id;
    (void)copy;
    trace_lines++;
    if (strstr(line, "Table 'ipv4_lpm': hit"))
        trace_hit++;
}

static void
test_trace(void)
{
    struct err e = {0};
    struct sw_opts o;
    sw_opts_init(&o);
    o.trace = trace;
    struct sw *sw = sw_new(router, &o, &e);
    if (!sw)
        return;
    install_router(sw);
    struct sw_pkt in = {1, sizeof udp_pkt, udp_pkt}, out[2];
    size_t n;
    sw_process(sw, &in, 1, out, 2, &n);
    CHECK(trace_lines > 5);
    CHECK_INT(trace_hit, 1);
    sw_set_trace(sw, NULL, NULL);
    int before = trace_lines;
    sw_process(sw, &in, 1, out, 2, &n);
    CHECK_INT(trace_lines, before);
    sw_free(sw);
}

static void
test_multicast(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(mcast, NULL, &e);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint32_t ports[4] = {1, 2, 3, 4}, node;
    CHECK_INT(sw_mc_mgrp_create(sw, 1, &e), 0);
    CHECK_INT(sw_mc_node_create(sw, 7, ports, 4, &node, &e), 0);
    CHECK_INT(sw_mc_node_associate(sw, 1, node, &e), 0);
    CHECK_INT(sw_mc_mgrp_create(sw, 1, &e), -EEXIST);
    err_clear(&e);
    /* no entry matches: the default action multicasts to group 1 */
    uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 8,
                         0,    0,    0,    1,    0x11, 0x08, 0x00};
    struct sw_pkt in = {1, sizeof frame, frame}, out[8];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 8, &n), 0);
    /* ports 2, 3, 4: the copy to the ingress port is dropped in egress */
    CHECK_INT(n, 3);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        seen |= 1u << out[i].port;
        CHECK_INT(out[i].len, sizeof frame);
    }
    CHECK_INT(seen, (1u << 2) | (1u << 3) | (1u << 4));
    char *dump = NULL;
    CHECK_INT(sw_mc_dump(sw, &dump, &e), 0);
    CHECK(dump && strstr(dump, "rid=7") && strstr(dump, "ports=[1, 2, 3, 4]"));
    free(dump);
    CHECK_INT(sw_mc_node_dissociate(sw, 1, node, &e), 0);
    CHECK_INT(sw_process(sw, &in, 1, out, 8, &n), 0);
    CHECK_INT(n, 0);
    sw_free(sw);
}

static void
test_no_program_and_swap(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(NULL, NULL, &e);
    CHECK(sw != NULL);
    struct sw_pkt in = {1, sizeof udp_pkt, udp_pkt}, out[2];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), -ENOENT);
    CHECK_INT(n, 0);
    CHECK(sw_table_info(sw, "ipv4_lpm", &e) == NULL);
    err_clear(&e);
    size_t len = 0;
    char *json = NULL;
    FILE *f = fopen(router, "r");
    if (f) {
        fseek(f, 0, SEEK_END);
        len = (size_t)ftell(f);
        rewind(f);
        json = malloc(len);
        CHECK_INT(fread(json, 1, len, f), len);
        fclose(f);
    }
    CHECK_INT(sw_swap_config(sw, &e), -ENOENT);
    err_clear(&e);
    CHECK_INT(sw_load_config(sw, "{bad", 4, "bad.json", &e), -EINVAL);
    CHECK(strstr(e.msg, "bad.json:1:") != NULL);
    err_clear(&e);
    CHECK_INT(sw_load_config(sw, json, len, "router.json", &e), 0);
    CHECK_INT(sw_swap_config(sw, &e), 0);
    install_router(sw);
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    CHECK_INT(n, 1);
    const struct sw_table_info *ti = sw_table_info(sw, "ipv4_lpm", &e);
    CHECK(ti && ti->n_keys == 1 && ti->keys[0].kind == SW_MATCH_LPM &&
          ti->keys[0].bitwidth == 32 && ti->max_size == 1024);
    sw_reset_state(sw);
    CHECK_INT(sw_table_num_entries(sw, "ipv4_lpm", &e), 0);
    free(json);
    sw_free(sw);
}

static char grpc_dir[4096];

static struct sw *
grpc_prog(const char *name)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", grpc_dir, name);
    struct err e = {0};
    struct sw *sw = sw_new(path, NULL, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    return sw;
}

struct learned {
    int n;
    uint8_t smac[6];
    uint8_t port[2];
    size_t nf;
};

static void
on_learn(void *ctx, const struct sw_learn_msg *m)
{
    struct learned *l = ctx;
    l->n++;
    l->nf = m->n_fields;
    if (m->n_fields == 2 && m->fields[0].len == 6 && m->fields[1].len == 2) {
        memcpy(l->smac, m->fields[0].v, 6);
        memcpy(l->port, m->fields[1].v, 2);
    }
}

/* digest(): one message per packet with {smac, ingress_port}, drained. */
static void
test_digest(void)
{
    struct sw *sw = grpc_prog("digest.json");
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint8_t frame[20] = {1,   2,   3,   4,   5,   6,    0xa,
                         0xb, 0xc, 0xd, 0xe, 0xf, 0x08, 0};
    struct sw_pkt in = {3, sizeof frame, frame}, out[4];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 4, &n), 0);
    CHECK_INT(n, 1);
    CHECK_INT(n ? out[0].port : 99, 3);
    struct learned l = {0};
    CHECK_INT(sw_learn_drain(sw, on_learn, &l), 1);
    CHECK_INT(l.n, 1);
    CHECK_INT(l.nf, 2);
    static const uint8_t smac[6] = {0xa, 0xb, 0xc, 0xd, 0xe, 0xf};
    CHECK(!memcmp(l.smac, smac, 6));
    CHECK_INT(l.port[1], 3);
    CHECK_INT(sw_learn_drain(sw, on_learn, &l), 0);
    sw_free(sw);
}

/* clone(I2E, session): a session to a port, and one to a multicast group
 * (egress writes egress_rid into the header) */
static void
test_clone(void)
{
    struct sw *sw = grpc_prog("clone.json");
    CHECK(sw != NULL);
    if (!sw)
        return;
    struct err e = {0};
    struct sw_mirror m5 = {2, -1}, m6 = {-1, 1}, got;
    CHECK_INT(sw_mirroring_add(sw, 5, &m5, &e), 0);
    CHECK_INT(sw_mirroring_add(sw, 6, &m6, &e), 0);
    CHECK_INT(sw_mirroring_get(sw, 5, &got, &e), 0);
    CHECK_INT(got.port, 2);
    uint32_t ports[1] = {3}, node;
    CHECK_INT(sw_mc_mgrp_create(sw, 1, &e), 0);
    CHECK_INT(sw_mc_node_create(sw, 7, ports, 1, &node, &e), 0);
    CHECK_INT(sw_mc_node_associate(sw, 1, node, &e), 0);
    uint8_t frame[16] = {0x00, 0x05, 0xaa, 0xbb};
    struct sw_pkt in = {1, sizeof frame, frame}, out[8];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 8, &n), 0);
    CHECK_INT(n, 2);
    unsigned seen = 0;
    for (size_t i = 0; i < n; i++) {
        seen |= 1u << out[i].port;
        CHECK_INT(out[i].len, sizeof frame);
        CHECK_INT(out[i].data[2], 0xaa);
    }
    CHECK_INT(seen, (1u << 1) | (1u << 2));
    frame[1] = 6;
    CHECK_INT(sw_process(sw, &in, 1, out, 8, &n), 0);
    CHECK_INT(n, 2);
    for (size_t i = 0; i < n; i++)
        if (out[i].port == 3)
            CHECK_INT(out[i].data[1], 7); /* egress_rid of the group's node */
    CHECK_INT(sw_mirroring_delete(sw, 6, &e), 0);
    CHECK_INT(sw_mirroring_get(sw, 6, &got, &e), -ENOENT);
    sw_free(sw);
}

/* a direct counter counts the hits of its entry; counter_write/reset */
static void
test_direct_counter(void)
{
    struct sw *sw = grpc_prog("counter.json");
    CHECK(sw != NULL);
    if (!sw)
        return;
    struct err e = {0};
    uint8_t len[4] = {0, 0, 0, 60};
    struct sw_match_param m = {.kind = SW_MATCH_EXACT, .key = {len, 4}};
    struct sw_action_ref ar = {SW_REF_ACTION, "port_redirect", NULL, 0, 0};
    uint64_t h;
    CHECK_INT(sw_table_add(sw, "t_redirect", &m, 1, 0, &ar, &h, &e), 0);
    if (e.code)
        printf("  %s\n", e.msg);
    uint8_t frame[60] = {0};
    struct sw_pkt in[3] = {{1, 60, frame}, {1, 60, frame}, {2, 50, frame}},
                  out[4];
    size_t n;
    CHECK_INT(sw_process(sw, in, 3, out, 4, &n), 0);
    CHECK_INT(n, 3); /* the 50-byte frame misses: NoAction, out of port 0 */
    uint64_t bytes = 0, pkts = 0;
    CHECK_INT(sw_counter_read(sw, "cntr", h, &bytes, &pkts, &e), 0);
    CHECK_INT(pkts, 2);
    CHECK_INT(bytes, 120);
    CHECK_INT(sw_counter_write(sw, "cntr", h, 1, 1, &e), 0);
    CHECK_INT(sw_counter_read(sw, "cntr", h, &bytes, &pkts, &e), 0);
    CHECK_INT(pkts, 1);
    CHECK_INT(sw_counter_reset(sw, "cntr", &e), 0);
    CHECK_INT(sw_counter_read(sw, "cntr", h, &bytes, &pkts, &e), 0);
    CHECK_INT(pkts + bytes, 0);
    CHECK_INT(sw_counter_read(sw, "cntr", 99, &bytes, &pkts, &e), -ENOENT);
    sw_free(sw);
}

static uint64_t fake_now;

static uint64_t
fake_clock(void *ctx)
{
    (void)ctx;
    return fake_now;
}

/* queue depth and rate: 5 packets into a queue of depth 2 at 1 packet/s */
static void
test_queue_rate(void)
{
    struct sw_opts o;
    sw_opts_init(&o);
    o.clock = fake_clock;
    fake_now = 1000000;
    struct err e = {0};
    struct sw *sw = sw_new(router, &o, &e);
    if (!sw)
        return;
    install_router(sw);
    CHECK_INT(sw_set_queue_depth(sw, 2, -1, 2, &e), 0);
    CHECK_INT(sw_set_queue_rate(sw, 2, -1, 1, &e), 0);
    struct sw_pkt in[5], out[8];
    for (int i = 0; i < 5; i++)
        in[i] = (struct sw_pkt){1, sizeof udp_pkt, udp_pkt};
    size_t n;
    CHECK_INT(sw_process(sw, in, 5, out, 8, &n), 0);
    CHECK_INT(n, 1);
    CHECK_INT(sw_queue_occupancy(sw, 2, 0), 1);
    struct sw_stats st;
    sw_get_stats(sw, &st);
    CHECK_INT(st.queue_drops, 3);
    CHECK(sw_next_wakeup_us(sw) > 0);
    CHECK_INT(sw_poll(sw, out, 8, &n), 1);
    CHECK_INT(n, 0);
    fake_now += 1000000;
    CHECK_INT(sw_next_wakeup_us(sw), 0);
    CHECK_INT(sw_poll(sw, out, 8, &n), 0);
    CHECK_INT(n, 1);
    CHECK_INT(sw_next_wakeup_us(sw), UINT64_MAX);
    sw_free(sw);
}

/* crc16_custom: plain crc16 (CRC-16/ARC, as BMv2) until parameters are set,
 * then the CRC they describe (CRC-16/CCITT-FALSE here) */
static const char crc_json[] =
    "{\"header_types\": [{\"name\": \"h_t\", \"id\": 0, \"fields\": "
    "[[\"a\", 72, false], [\"b\", 16, false]]}],"
    "\"headers\": [{\"name\": \"h\", \"id\": 0, \"header_type\": \"h_t\", "
    "\"metadata\": false}],"
    "\"parsers\": [{\"name\": \"parser\", \"init_state\": \"start\", "
    "\"parse_states\": [{\"name\": \"start\", \"parser_ops\": [{\"op\": "
    "\"extract\", \"parameters\": [{\"type\": \"regular\", \"value\": "
    "\"h\"}]}], "
    "\"transition_key\": [], \"transitions\": [{\"type\": \"default\", "
    "\"value\": null, \"mask\": null, \"next_state\": null}]}]}],"
    "\"deparsers\": [{\"name\": \"deparser\", \"order\": [\"h\"]}],"
    "\"calculations\": [{\"name\": \"c\", \"id\": 0, \"algo\": "
    "\"crc16_custom\", "
    "\"input\": [{\"type\": \"field\", \"value\": [\"h\", \"a\"]}]}],"
    "\"actions\": [{\"name\": \"act\", \"id\": 0, \"runtime_data\": [], "
    "\"primitives\": [{\"op\": \"modify_field_with_hash_based_offset\", "
    "\"parameters\": [{\"type\": \"field\", \"value\": [\"h\", \"b\"]}, "
    "{\"type\": \"hexstr\", \"value\": \"0x0\"}, {\"type\": \"calculation\", "
    "\"value\": \"c\"}, {\"type\": \"hexstr\", \"value\": \"0x10000\"}]}]}],"
    "\"pipelines\": [{\"name\": \"ingress\", \"id\": 0, \"init_table\": \"t\", "
    "\"tables\": [{\"name\": \"t\", \"id\": 0, \"match_type\": \"exact\", "
    "\"type\": \"simple\", \"max_size\": 1, \"key\": [], \"actions\": "
    "[\"act\"], "
    "\"next_tables\": {\"act\": null}, \"base_default_next\": null, "
    "\"default_entry\": {\"action_id\": 0, \"action_const\": true, "
    "\"action_data\": []}}], \"conditionals\": []}, {\"name\": \"egress\", "
    "\"id\": 1, \"init_table\": null, \"tables\": [], \"conditionals\": []}]}";

static void
test_custom_crc(void)
{
    struct err e = {0};
    struct sw *sw =
        sw_new_from_buffer(crc_json, sizeof crc_json - 1, "crc.json", NULL, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint8_t frame[11] = "123456789";
    struct sw_pkt in = {0, sizeof frame, frame}, out[2];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_INT(out[0].data[9] << 8 | out[0].data[10], 0xBB3D);
    struct sw_crc_params cp = {0x1021, 0xffff, 0, 0, 0};
    CHECK_INT(sw_set_crc_parameters(sw, "c", 32, &cp, &e), -EINVAL);
    err_clear(&e);
    CHECK_INT(sw_set_crc_parameters(sw, "c", 16, &cp, &e), 0);
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    CHECK_INT(n, 1);
    if (n)
        CHECK_INT(out[0].data[9] << 8 | out[0].data[10], 0x29B1);
    sw_free(sw);
}

/* direct meter rates by entry handle; bad rates refused */
static void
test_meter_rates(void)
{
    struct sw *sw = grpc_prog("meter.json");
    CHECK(sw != NULL);
    if (!sw)
        return;
    struct err e = {0};
    uint8_t port[2] = {0, 1};
    struct sw_match_param m = {.kind = SW_MATCH_EXACT, .key = {port, 2}};
    struct sw_action_ref ar = {SW_REF_ACTION, "port_redirect", NULL, 0, 0};
    uint64_t h;
    CHECK_INT(sw_table_add(sw, "t_redirect", &m, 1, 0, &ar, &h, &e), 0);
    struct sw_meter_rate r[3] = {{0.001, 2}, {0.002, 4}, {1, 1}}, got[2];
    size_t n = 9;
    CHECK_INT(sw_meter_get_rates(sw, "mtr", h, got, &n, &e), 0);
    CHECK_INT(n, 0);
    CHECK_INT(sw_meter_set_rates(sw, "mtr", h, r, 2, &e), 0);
    CHECK_INT(sw_meter_get_rates(sw, "mtr", h, got, &n, &e), 0);
    CHECK_INT(n, 2);
    CHECK(got[1].info_rate == 0.002 && got[1].burst == 4);
    CHECK(sw_meter_set_rates(sw, "mtr", h, r, 3, &e) < 0);
    err_clear(&e);
    struct sw_meter_rate bad[2] = {{0.5, 1}, {0.1, 1}};
    CHECK(sw_meter_set_rates(sw, "mtr", h, bad, 2, &e) < 0);
    CHECK(strstr(e.msg, "committed rate") != NULL);
    err_clear(&e);
    CHECK(sw_meter_set_rates(sw, "mtr", h + 5, r, 2, &e) < 0);
    uint8_t frame[20] = {0};
    struct sw_pkt in = {1, sizeof frame, frame}, out[2];
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    CHECK_INT(n, 1);
    sw_free(sw);
}

/* Control calls from another thread while packets flow: every packet sees
 * either the old or the new entry set (forwarded to port 2 or dropped),
 * never a half-updated table, and nothing crashes (ASan build). */
static volatile int churn_stop;

static void *
churn(void *arg)
{
    struct sw *sw = arg;
    uint8_t ip[4] = {10, 0, 1, 10}, port[1] = {2};
    struct sw_bytes a[2] = {{ip, 4}, {port, 1}};
    struct sw_action_ref ar = {SW_REF_ACTION, "set_nhop", a, 2, 0};
    struct sw_match_param m = {
        .kind = SW_MATCH_LPM, .key = {ip, 4}, .prefix_len = 32};
    while (!churn_stop) {
        struct err e = {0};
        uint64_t h;
        if (!sw_table_find(sw, "ipv4_lpm", &m, 1, 0, &h, &e))
            sw_table_delete(sw, "ipv4_lpm", h, &e);
        err_clear(&e);
        sw_table_add(sw, "ipv4_lpm", &m, 1, 0, &ar, &h, &e);
    }
    return NULL;
}

static void
test_concurrent_control(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(router, NULL, &e);
    if (!sw)
        return;
    install_router(sw);
    pthread_t th;
    churn_stop = 0;
    CHECK_INT(pthread_create(&th, NULL, churn, sw), 0);
    struct sw_pkt in[16], out[16];
    for (int i = 0; i < 16; i++)
        in[i] = (struct sw_pkt){1, sizeof udp_pkt, udp_pkt};
    size_t total = 0, bad = 0;
    for (int r = 0; r < 2000; r++) {
        size_t n;
        sw_process(sw, in, 16, out, 16, &n);
        for (size_t i = 0; i < n; i++)
            bad += out[i].port != 2 || out[i].data[22] != 63;
        total += n;
    }
    churn_stop = 1;
    pthread_join(th, NULL);
    CHECK_INT(bad, 0);
    CHECK(total > 0);
    sw_free(sw);
}

static int aged;

static void
on_aged(void *ctx, const char *table, uint64_t handle)
{
    (void)ctx;
    (void)handle;
    if (strstr(table, "ipv4_lpm"))
        aged++;
}

/* entry timeouts: an idle entry is reported once per timeout, a hit
 * restarts its timer (simple_router with support_timeout on ipv4_lpm) */
static void
test_ageing(void)
{
    size_t len;
    FILE *f = fopen(router, "r");
    if (!f)
        return;
    fseek(f, 0, SEEK_END);
    len = (size_t)ftell(f);
    rewind(f);
    char *json = calloc(1, len + 1);
    CHECK_INT(fread(json, 1, len, f), len);
    fclose(f);
    char *at = strstr(json, "\"support_timeout\": false");
    CHECK(at != NULL);
    if (at)
        memcpy(at, "\"support_timeout\": true ", 24);
    struct sw_opts o;
    sw_opts_init(&o);
    o.clock = fake_clock;
    fake_now = 5000000;
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(json, len, "router.json", &o, &e);
    free(json);
    CHECK(sw != NULL);
    if (!sw)
        return;
    install_router(sw);
    CHECK(sw_table_info(sw, "ipv4_lpm", &e)->with_ageing);
    CHECK_INT(sw_table_set_timeout(sw, "ipv4_lpm", 1, 100, &e), 0);
    CHECK(sw_table_set_timeout(sw, "forward", 0, 100, &e) < 0);
    err_clear(&e);
    aged = 0;
    fake_now += 50000;
    CHECK_INT(sw_ageing_poll(sw, on_aged, NULL), 0);
    fake_now += 100000;
    CHECK_INT(sw_ageing_poll(sw, on_aged, NULL), 1);
    CHECK_INT(aged, 1);
    fake_now += 150000;
    struct sw_pkt in = {1, sizeof udp_pkt, udp_pkt}, out[2];
    size_t n;
    sw_process(sw, &in, 1, out, 2, &n); /* hits handle 1 (10.0.1.10) */
    fake_now += 50000;
    CHECK_INT(sw_ageing_poll(sw, on_aged, NULL), 0);
    fake_now += 100000;
    CHECK_INT(sw_ageing_poll(sw, on_aged, NULL), 1);
    sw_free(sw);
}

/* frames handed out stay readable after reset_state / a config swap from
 * the control side (the I/O thread may still be sending them) */
static void
test_out_survives_reset(void)
{
    struct err e = {0};
    struct sw *sw = sw_new(router, NULL, &e);
    if (!sw)
        return;
    install_router(sw);
    struct sw_pkt in = {1, sizeof udp_pkt, udp_pkt}, out[2];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 2, &n), 0);
    CHECK_INT(n, 1);
    sw_reset_state(sw);
    if (n)
        CHECK_INT(out[0].data[22], 63); /* ASan would flag a freed buffer */
    sw_free(sw);
}

/* --priority-queues: standard_metadata.priority picks the queue, the
 * highest is served first */
static const char prio_json[] =
    "{\"header_types\": [{\"name\": \"h_t\", \"id\": 0, \"fields\": "
    "[[\"p\", 8, false], [\"tag\", 8, false]]}, {\"name\": \"sm_t\", \"id\": "
    "1, "
    "\"fields\": [[\"ingress_port\", 9, false], [\"egress_spec\", 9, false], "
    "[\"egress_port\", 9, false], [\"priority\", 3, false], [\"_pad\", 2, "
    "false]]}],"
    "\"headers\": [{\"name\": \"standard_metadata\", \"id\": 0, "
    "\"header_type\": "
    "\"sm_t\", \"metadata\": true}, {\"name\": \"h\", \"id\": 1, "
    "\"header_type\": \"h_t\", \"metadata\": false}],"
    "\"parsers\": [{\"name\": \"parser\", \"init_state\": \"start\", "
    "\"parse_states\": [{\"name\": \"start\", \"parser_ops\": [{\"op\": "
    "\"extract\", \"parameters\": [{\"type\": \"regular\", \"value\": "
    "\"h\"}]}], "
    "\"transition_key\": [], \"transitions\": [{\"type\": \"default\", "
    "\"value\": null, \"mask\": null, \"next_state\": null}]}]}],"
    "\"deparsers\": [{\"name\": \"deparser\", \"order\": [\"h\"]}],"
    "\"actions\": [{\"name\": \"act\", \"id\": 0, \"runtime_data\": [], "
    "\"primitives\": [{\"op\": \"assign\", \"parameters\": [{\"type\": "
    "\"field\", \"value\": [\"standard_metadata\", \"priority\"]}, {\"type\": "
    "\"field\", \"value\": [\"h\", \"p\"]}]}, {\"op\": \"assign\", "
    "\"parameters\": [{\"type\": \"field\", \"value\": [\"standard_metadata\", "
    "\"egress_spec\"]}, {\"type\": \"hexstr\", \"value\": \"0x1\"}]}]}],"
    "\"pipelines\": [{\"name\": \"ingress\", \"id\": 0, \"init_table\": \"t\", "
    "\"tables\": [{\"name\": \"t\", \"id\": 0, \"match_type\": \"exact\", "
    "\"type\": \"simple\", \"max_size\": 1, \"key\": [], \"actions\": "
    "[\"act\"], "
    "\"next_tables\": {\"act\": null}, \"base_default_next\": null, "
    "\"default_entry\": {\"action_id\": 0, \"action_const\": true, "
    "\"action_data\": []}}], \"conditionals\": []}, {\"name\": \"egress\", "
    "\"id\": 1, \"init_table\": null, \"tables\": [], \"conditionals\": []}]}";

static void
test_priority_queues(void)
{
    struct sw_opts o;
    sw_opts_init(&o);
    o.priority_queues = 4;
    o.clock = fake_clock;
    fake_now = 1000000;
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(prio_json, sizeof prio_json - 1,
                                       "prio.json", &o, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    CHECK(sw != NULL);
    if (!sw)
        return;
    CHECK_INT(sw_set_queue_rate(sw, 1, -1, 1, &e), 0);
    uint8_t a[2] = {0, 'a'}, b[2] = {1, 'b'}, c[2] = {3, 'c'};
    struct sw_pkt in[3] = {{0, 2, a}, {0, 2, b}, {0, 2, c}}, out[4];
    size_t n;
    char order[4] = {0};
    /* every queue of port 1 holds one token: all three leave in one
     * drain, highest priority first (each queue has its own rate, as BMv2) */
    CHECK_INT(sw_process(sw, in, 3, out, 4, &n), 0);
    CHECK_INT(n, 3);
    for (size_t i = 0; i < n && i < 3; i++)
        order[i] = (char)out[i].data[1];
    CHECK_STR(order, "cba");
    CHECK_INT(sw_queue_occupancy(sw, 1, 0), 0);
    sw_free(sw);
}

/* a 128-bit LPM key (IPv6-like): the wide key path, longest prefix wins */
static const char lpm128_json[] =
    "{\"header_types\": [{\"name\": \"h_t\", \"id\": 0, \"fields\": "
    "[[\"a\", 128, false], [\"out\", 8, false]]}],"
    "\"headers\": [{\"name\": \"h\", \"id\": 0, \"header_type\": \"h_t\", "
    "\"metadata\": false}],"
    "\"parsers\": [{\"name\": \"parser\", \"init_state\": \"start\", "
    "\"parse_states\": [{\"name\": \"start\", \"parser_ops\": [{\"op\": "
    "\"extract\", \"parameters\": [{\"type\": \"regular\", \"value\": "
    "\"h\"}]}], "
    "\"transition_key\": [], \"transitions\": [{\"type\": \"default\", "
    "\"value\": null, \"mask\": null, \"next_state\": null}]}]}],"
    "\"deparsers\": [{\"name\": \"deparser\", \"order\": [\"h\"]}],"
    "\"actions\": [{\"name\": \"set\", \"id\": 0, \"runtime_data\": "
    "[{\"name\": \"v\", \"bitwidth\": 8}], \"primitives\": [{\"op\": "
    "\"assign\", \"parameters\": [{\"type\": \"field\", \"value\": [\"h\", "
    "\"out\"]}, {\"type\": \"runtime_data\", \"value\": 0}]}]}],"
    "\"pipelines\": [{\"name\": \"ingress\", \"id\": 0, \"init_table\": \"t\", "
    "\"tables\": [{\"name\": \"t\", \"id\": 0, \"match_type\": \"lpm\", "
    "\"type\": \"simple\", \"max_size\": 16, \"key\": [{\"match_type\": "
    "\"lpm\", "
    "\"target\": [\"h\", \"a\"], \"mask\": null}], \"actions\": [\"set\"], "
    "\"next_tables\": {\"set\": null}, \"base_default_next\": null}], "
    "\"conditionals\": []}, {\"name\": \"egress\", \"id\": 1, "
    "\"init_table\": null, \"tables\": [], \"conditionals\": []}]}";

static int
lpm128_out(struct sw *sw, const uint8_t *addr)
{
    uint8_t fr[17] = {0};
    memcpy(fr, addr, 16);
    fr[16] = 0xee;
    struct sw_pkt in = {0, sizeof fr, fr}, out[2];
    size_t n = 0;
    sw_process(sw, &in, 1, out, 2, &n);
    return n == 1 ? out[0].data[16] : -1;
}

static void
test_lpm_128(void)
{
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(lpm128_json, sizeof lpm128_json - 1,
                                       "lpm128.json", NULL, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint8_t p32[16] = {0x20, 0x01, 0x0d, 0xb8},
            p48[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1};
    uint8_t v1 = 1, v2 = 2;
    struct sw_bytes a1 = {&v1, 1}, a2 = {&v2, 1};
    struct sw_match_param m = {
        .kind = SW_MATCH_LPM, .key = {p32, 16}, .prefix_len = 32};
    struct sw_action_ref r1 = {SW_REF_ACTION, "set", &a1, 1, 0};
    struct sw_action_ref r2 = {SW_REF_ACTION, "set", &a2, 1, 0};
    uint64_t h;
    CHECK_INT(sw_table_add(sw, "t", &m, 1, 0, &r1, &h, &e), 0);
    m.key.v = p48;
    m.prefix_len = 48;
    CHECK_INT(sw_table_add(sw, "t", &m, 1, 0, &r2, &h, &e), 0);
    uint8_t x1[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0,
                      0,    0,    0,    0,    0, 0, 0, 5};
    uint8_t x2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0,
                      0,    0,    0,    0,    0, 0, 0, 1};
    uint8_t x3[16] = {0x30};
    CHECK_INT(lpm128_out(sw, x1), 2);
    CHECK_INT(lpm128_out(sw, x2), 1);
    CHECK_INT(lpm128_out(sw, x3), 0xee); /* miss: no default action */
    sw_free(sw);
}

/* a program that recirculates every packet forever: each call returns
 * (bounded work), the packet stays queued, control calls get in */
static const char recirc_json[] =
    "{\"header_types\": [{\"name\": \"h_t\", \"id\": 0, \"fields\": "
    "[[\"x\", 8, false]]}, {\"name\": \"sm_t\", \"id\": 1, \"fields\": "
    "[[\"ingress_port\", 9, false], [\"egress_spec\", 9, false], "
    "[\"egress_port\", 9, false], [\"_pad\", 5, false]]}],"
    "\"headers\": [{\"name\": \"standard_metadata\", \"id\": 0, "
    "\"header_type\": \"sm_t\", \"metadata\": true}, {\"name\": \"h\", "
    "\"id\": 1, \"header_type\": \"h_t\", \"metadata\": false}],"
    "\"parsers\": [{\"name\": \"parser\", \"init_state\": \"start\", "
    "\"parse_states\": [{\"name\": \"start\", \"parser_ops\": [{\"op\": "
    "\"extract\", \"parameters\": [{\"type\": \"regular\", \"value\": "
    "\"h\"}]}], "
    "\"transition_key\": [], \"transitions\": [{\"type\": \"default\", "
    "\"value\": null, \"mask\": null, \"next_state\": null}]}]}],"
    "\"deparsers\": [{\"name\": \"deparser\", \"order\": [\"h\"]}],"
    "\"actions\": [{\"name\": \"recirc\", \"id\": 0, \"runtime_data\": [], "
    "\"primitives\": [{\"op\": \"recirculate\", \"parameters\": [{\"type\": "
    "\"hexstr\", \"value\": \"0x0\"}]}]}],"
    "\"pipelines\": [{\"name\": \"ingress\", \"id\": 0, \"init_table\": null, "
    "\"tables\": [], \"conditionals\": []}, {\"name\": \"egress\", \"id\": 1, "
    "\"init_table\": \"t\", \"tables\": [{\"name\": \"t\", \"id\": 0, "
    "\"match_type\": \"exact\", \"type\": \"simple\", \"max_size\": 1, "
    "\"key\": [], \"actions\": [\"recirc\"], \"next_tables\": {\"recirc\": "
    "null}, \"base_default_next\": null, \"default_entry\": {\"action_id\": 0, "
    "\"action_const\": true, \"action_data\": []}}], \"conditionals\": []}]}";

static void
test_endless_recirculation(void)
{
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(recirc_json, sizeof recirc_json - 1,
                                       "recirc.json", NULL, &e);
    if (!sw)
        printf("  %s\n", e.msg);
    CHECK(sw != NULL);
    if (!sw)
        return;
    uint8_t fr[8] = {1};
    struct sw_pkt in = {0, sizeof fr, fr}, out[4];
    size_t n;
    CHECK_INT(sw_process(sw, &in, 1, out, 4, &n), 0);
    CHECK_INT(n, 0);
    CHECK(sw_poll(sw, out, 4, &n) > 0); /* still going round */
    CHECK_INT(sw_next_wakeup_us(sw), 0);
    struct sw_info info;
    sw_get_info(sw, &info); /* the control plane gets the lock */
    CHECK(info.has_program);
    sw_free(sw);
}

int
main(void)
{
    const char *sh = getenv("FOP4_SHARED");
    snprintf(router, sizeof router, "%s/corpus/bmv2/mininet/simple_router.json",
             sh ? sh : "../shared");
    snprintf(
        mcast, sizeof mcast,
        "%s/corpus/tutorials/exercises/multicast/solution/multicast.p4c.json",
        sh ? sh : "../shared");
    if (!have(router) || !have(mcast)) {
        printf("SKIP: switch pipeline tests (corpus not found)\n");
        return 0;
    }
    RUN_TEST(test_router_forwards);
    RUN_TEST(test_control_errors);
    RUN_TEST(test_trace);
    RUN_TEST(test_multicast);
    RUN_TEST(test_no_program_and_swap);
    RUN_TEST(test_queue_rate);
    RUN_TEST(test_custom_crc);
    RUN_TEST(test_concurrent_control);
    RUN_TEST(test_ageing);
    RUN_TEST(test_out_survives_reset);
    RUN_TEST(test_priority_queues);
    RUN_TEST(test_lpm_128);
    RUN_TEST(test_endless_recirculation);
    snprintf(grpc_dir, sizeof grpc_dir,
             "%s/corpus/bmv2/targets/simple_switch_grpc/tests/testdata",
             sh ? sh : "../shared");
    if (have(grpc_dir)) {
        RUN_TEST(test_digest);
        RUN_TEST(test_clone);
        RUN_TEST(test_direct_counter);
        RUN_TEST(test_meter_rates);
    }
    TEST_EXIT();
}

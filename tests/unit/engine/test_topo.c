/* Unit tests for the topology parser (src/engine/topo.c, topo_value.c): the
 * model it builds from good files, its diagnostics on bad ones, the value
 * syntaxes, and robustness on every truncation of a file (run under ASan). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine/topo.h"
#include "lib/strbuf.h"
#include "test.h"

static struct topo *
parse(const char *src, struct strbuf *d)
{
    strbuf_reset(d);
    return topo_parse_string("t.yml", src, d);
}

static void
test_every_key(void)
{
    struct strbuf d = STRBUF_INIT;
    struct topo *t = topo_parse_file("tests/topo/good/every_key.yml", &d);
    CHECK(t != NULL);
    if (!t) {
        printf("%s", strbuf_str(&d));
        return;
    }
    CHECK_STR(t->name, "every");
    CHECK_STR(t->opts.prefix, "ev1");
    CHECK_STR(t->opts.ip_base, "10.1.0.0/16");
    CHECK_INT(t->opts.static_arp, 1);
    CHECK_INT(t->opts.ipv6, 0);
    CHECK_INT(t->nodes.n, 5);
    const struct topo_node *h1 = topo_find_node(t, "h1");
    CHECK(h1 && h1->kind == NODE_HOST);
    CHECK_STR(h1->params.ip, "10.1.0.1/16");
    CHECK_STR(h1->params.exec[0], "echo default"); /* from defaults */
    CHECK(h1->params.exec[1] == NULL);
    const struct topo_node *r1 = topo_find_node(t, "r1");
    CHECK_STR(r1->params.exec[0], "sysctl -w net.ipv4.ip_forward=1");
    const struct topo_node *d1 = topo_find_node(t, "d1");
    CHECK_INT(d1->kind, NODE_DOCKER);
    CHECK_STR(d1->params.docker.image, "fop4/busybox");
    CHECK_INT(d1->params.docker.mem_limit, 32 << 20);
    CHECK_STR(d1->params.docker.env[1], "B=two");
    CHECK_STR(d1->params.docker.volumes[0], "/tmp:/data:ro");
    CHECK(strstr(d1->params.docker.volumes[1], "/tests/topo/good/data:/data2"));
    CHECK_INT(d1->params.docker.cpu_quota, 50000);
    CHECK_INT(d1->params.docker.cpu_shares, 256);
    CHECK_STR(d1->params.docker.cpuset, "0");
    const struct topo_node *s1 = topo_find_node(t, "s1");
    CHECK_INT(s1->kind, NODE_P4SWITCH);
    CHECK(s1->params.p4.json && s1->params.p4.json[0] == '/');
    CHECK_INT(s1->params.p4.thrift_port, 9191);
    CHECK_INT(s1->params.p4.device_id, 7);
    CHECK_INT(s1->params.p4.cpu_port, 255);
    CHECK_STR(s1->params.p4.log_level, "debug");
    CHECK_INT(t->links.n, 4);
    const struct topo_link *l = &t->links.v[1];
    CHECK_STR(l->a, "r1");
    CHECK_STR(l->ia.name, "eth7");
    CHECK_INT(l->params.bw_mbit, 50); /* from defaults */
    l = &t->links.v[2];
    CHECK_INT(l->ib.port, 3);
    CHECK(l->params.delay_ms == 2 && l->params.jitter_ms == 0.5);
    CHECK(l->params.loss_pct == 0.5 && l->params.max_queue == 50);
    CHECK_INT(l->ia.mtu, 9000);
    l = &t->links.v[3];
    CHECK_STR(l->ia.name, "h1-lan");
    CHECK_STR(l->ia.ip, "192.168.0.1/24");
    CHECK_INT(l->ia.mtu, 1400);
    CHECK_INT(l->ib.port, 4);
    CHECK(l->params.bw_mbit == 1000);
    topo_free(t);
    strbuf_destroy(&d);
}

static void
test_errors(void)
{
    struct strbuf d = STRBUF_INIT;
    /* Several errors in one run, in file order, each with line:col. */
    struct topo *t = parse("nodes:\n"
                           "  h1: {kind: hots}\n"
                           "  h2: {kind: host, ipp: 1}\n"
                           "links:\n"
                           "  - [h2, x9]\n",
                           &d);
    CHECK(t == NULL);
    const char *s = strbuf_str(&d);
    const char *e1 = strstr(s, "t.yml:2:14: error: unknown node kind 'hots'");
    const char *e2 = strstr(s, "t.yml:3:20: error: unknown key 'ipp'");
    const char *e3 = strstr(s, "t.yml:5:10: error: unknown node 'x9'");
    CHECK(e1 && e2 && e3 && e1 < e2 && e2 < e3);
    /* A link to a node whose definition is wrong is not reported again. */
    CHECK(!strstr(s, "unknown node 'h1'"));
    t = parse("nodes:\n  h1: {kind: hots}\nlinks:\n  - [h1, h1]\n", &d);
    CHECK(t == NULL && !strstr(strbuf_str(&d), "link"));
    /* Many errors stop at a limit. */
    struct strbuf big = STRBUF_INIT;
    strbuf_puts(&big, "nodes:\n");
    for (int i = 0; i < 50; i++)
        strbuf_printf(&big, "  h%d: {kind: nope}\n", i);
    t = parse(big.s, &d);
    CHECK(t == NULL && strstr(strbuf_str(&d), "too many errors"));
    strbuf_destroy(&big);
    strbuf_destroy(&d);
}

static void
test_merge_keys(void)
{
    struct strbuf d = STRBUF_INIT;
    struct topo *t =
        parse("x-vnf: &vnf {kind: docker, image: img, memory: 64m}\n"
              "nodes:\n"
              "  d1: {<<: *vnf, cmd: sleep 100}\n"
              "  d2:\n"
              "    <<: *vnf\n"
              "    memory: 128m\n",
              &d);
    CHECK(t != NULL);
    if (!t) {
        printf("%s", strbuf_str(&d));
        return;
    }
    CHECK_STR(topo_find_node(t, "d1")->params.docker.image, "img");
    CHECK_STR(topo_find_node(t, "d1")->params.docker.cmd, "sleep 100");
    CHECK_INT(topo_find_node(t, "d1")->params.docker.mem_limit, 64 << 20);
    CHECK_INT(topo_find_node(t, "d2")->params.docker.mem_limit, 128 << 20);
    topo_free(t);
    strbuf_destroy(&d);
}

/* Containernet's addDocker() names are accepted for the same settings. */
static void
test_containernet_aliases(void)
{
    struct strbuf d = STRBUF_INIT;
    struct topo *t = parse("nodes:\n"
                           "  d1: {kind: docker, dimage: img, dcmd: sleep 9,\n"
                           "       mem_limit: 64m, cpuset_cpus: '1',\n"
                           "       environment: {A: one}}\n",
                           &d);
    CHECK(t != NULL);
    if (!t) {
        printf("%s", strbuf_str(&d));
        return;
    }
    const struct topo_node *d1 = topo_find_node(t, "d1");
    CHECK_STR(d1->params.docker.image, "img");
    CHECK_STR(d1->params.docker.cmd, "sleep 9");
    CHECK_INT(d1->params.docker.mem_limit, 64 << 20);
    CHECK_STR(d1->params.docker.cpuset, "1");
    CHECK_STR(d1->params.docker.env[0], "A=one");
    topo_free(t);
    /* Both names of one setting: which one wins would be a guess. */
    t = parse("nodes:\n  d1: {kind: docker, image: a, dimage: b}\n", &d);
    CHECK(t == NULL &&
          strstr(strbuf_str(&d), "t.yml:2:32: error: 'dimage' is Containernet's "
                                 "name for 'image': give one of them"));
    strbuf_destroy(&d);
}

static void
test_tutorials_json(void)
{
    struct strbuf d = STRBUF_INIT;
    struct topo *t = topo_parse_string(
        "topology.json",
        "{\"hosts\": {\"h1\": {\"ip\": \"10.0.1.1/24\", \"mac\": "
        "\"08:00:00:00:01:11\", \"commands\": [\"route add default gw "
        "10.0.1.10 dev eth0\"]}, \"h2\": {\"ip\": \"10.0.2.2/24\", \"mac\": "
        "\"08:00:00:00:02:22\"}},\n \"switches\": {\"s1\": {\"cpu_port\": "
        "\"510\"}},\n \"links\": [[\"h1\", \"s1-p1\"], [\"h2\", \"s1-p2\", "
        "\"5ms\", 10]]}",
        &d);
    CHECK(t != NULL);
    if (!t) {
        printf("%s", strbuf_str(&d));
        return;
    }
    CHECK_STR(t->format, "tutorials-json");
    CHECK_INT(t->nodes.n, 3);
    CHECK_INT(topo_find_node(t, "s1")->kind, NODE_P4SWITCH);
    CHECK_INT(topo_find_node(t, "s1")->params.p4.cpu_port, 510);
    CHECK_STR(topo_find_node(t, "h1")->params.exec[0],
              "route add default gw 10.0.1.10 dev eth0");
    CHECK_INT(t->links.n, 2);
    CHECK_STR(t->links.v[0].ia.name, "eth0");
    CHECK_STR(t->links.v[0].ia.mac, "08:00:00:00:01:11");
    CHECK_INT(t->links.v[0].ib.port, 1);
    CHECK(t->links.v[1].params.delay_ms == 5 &&
          t->links.v[1].params.bw_mbit == 10);
    topo_set_default_program(t, "/x/basic.p4", NULL);
    CHECK_STR(topo_find_node(t, "s1")->params.p4.p4, "/x/basic.p4");
    topo_free(t);
    /* The older form: hosts as a list, switch ends without a port. */
    t = topo_parse_string("topology.json",
                          "{\"hosts\": [\"h1\", \"h2\"], \"switches\": "
                          "[\"s1\"], \"links\": [[\"h1\", \"s1\"], "
                          "[\"h2\", \"s1\"]]}",
                          &d);
    CHECK(t != NULL && t->nodes.n == 3 && t->links.n == 2);
    CHECK(t && t->links.v[1].ib.port == -1);
    topo_free(t);
    /* JSON syntax errors carry jansson's line:column. */
    t = topo_parse_string("topology.json", "{\n  \"hosts\": {,}\n}", &d);
    CHECK(t == NULL && strstr(strbuf_str(&d), "topology.json:2:"));
    strbuf_destroy(&d);
}

/* A tutorials' switch without "program" takes its runtime.json's
 * "bmv2_json" when that file exists (their Makefile built it). */
static void
test_tutorials_runtime_program(void)
{
    char dir[] = "/tmp/fop4-topo-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char *build = xasprintf("%s/build", dir);
    char *prog = xasprintf("%s/build/basic.json", dir);
    char *rt = xasprintf("%s/s1-runtime.json", dir);
    char *topo = xasprintf("%s/topology.json", dir);
    mkdir(build, 0700);
    FILE *f = fopen(prog, "w");
    fputs("{}", f);
    fclose(f);
    f = fopen(rt, "w");
    fputs("{\"target\": \"bmv2\", \"bmv2_json\": \"build/basic.json\"}", f);
    fclose(f);
    struct strbuf d = STRBUF_INIT;
    struct topo *t = topo_parse_string(
        topo,
        "{\"hosts\": {\"h1\": {}}, \"switches\": {\"s1\": "
        "{\"runtime_json\": \"s1-runtime.json\"}}, \"links\": "
        "[[\"h1\", \"s1-p1\"]]}",
        &d);
    CHECK(t != NULL);
    if (t) {
        const struct topo_node *s1 = topo_find_node(t, "s1");
        CHECK(s1->params.p4.json &&
              strstr(s1->params.p4.json, "/build/basic.json"));
        CHECK(s1->params.p4.runtime &&
              strstr(s1->params.p4.runtime, "s1-runtime.json"));
    } else
        printf("%s", strbuf_str(&d));
    topo_free(t);
    strbuf_destroy(&d);
    unlink(prog);
    unlink(rt);
    rmdir(build);
    rmdir(dir);
    free(build);
    free(prog);
    free(rt);
    free(topo);
}

static void
test_values(void)
{
    double v;
    long long b;
    const char *why;
    CHECK(topo_parse_duration_ms("10ms", &v, &why) == 0 && v == 10);
    CHECK(topo_parse_duration_ms("1s", &v, &why) == 0 && v == 1000);
    CHECK(topo_parse_duration_ms("250us", &v, &why) == 0 && v == 0.25);
    CHECK(topo_parse_duration_ms("5", &v, &why) == 0 && v == 5);
    CHECK(topo_parse_duration_ms("-1ms", &v, &why) < 0);
    CHECK(topo_parse_duration_ms("10 parsecs", &v, &why) < 0);
    CHECK(topo_parse_bw_mbit("10", &v, &why) == 0 && v == 10);
    CHECK(topo_parse_bw_mbit("1Gbit", &v, &why) == 0 && v == 1000);
    CHECK(topo_parse_bw_mbit("500kbit", &v, &why) == 0 && v == 0.5);
    CHECK(topo_parse_bw_mbit("0", &v, &why) < 0);
    CHECK(topo_parse_percent("1.5%", &v, &why) == 0 && v == 1.5);
    CHECK(topo_parse_percent("101", &v, &why) < 0);
    CHECK(topo_parse_bytes("256m", &b, &why) == 0 && b == 256LL << 20);
    CHECK(topo_parse_bytes("1g", &b, &why) == 0 && b == 1LL << 30);
    CHECK(topo_parse_bytes("12x", &b, &why) < 0);
    CHECK(topo_check_ip("10.0.0.1/8", 0, &why) == 0);
    CHECK(topo_check_ip("10.0.0.1", 0, &why) == 0);
    CHECK(topo_check_ip("none", 1, &why) == 0);
    CHECK(topo_check_ip("none", 0, &why) < 0);
    CHECK(topo_check_ip("10.0.0.1/33", 0, &why) < 0);
    CHECK(topo_check_ip("10.0.0/8", 0, &why) < 0);
    CHECK(topo_check_mac("00:00:00:00:00:01", &why) == 0);
    CHECK(topo_check_mac("01:00:00:00:00:01", &why) < 0); /* multicast */
    CHECK(topo_check_mac("00:00:00:00:00", &why) < 0);
    CHECK(topo_check_mac("00-00-00-00-00-01", &why) < 0);
    CHECK(topo_check_node_name("h_1", &why) == 0);
    CHECK(topo_check_node_name("h-1", &why) < 0);
    CHECK(topo_check_node_name("abcdefghijk", &why) < 0);
}

/* Every prefix of a good file parses or fails cleanly (ASan/UBSan watch). */
static void
test_truncations(void)
{
    size_t n;
    char *src = read_file("tests/topo/good/every_key.yml", &n);
    CHECK(src != NULL);
    if (!src)
        return;
    struct strbuf d = STRBUF_INIT;
    for (size_t i = 0; i <= n; i += 3) {
        char *p = xstrndup(src, i);
        struct topo *t = topo_parse_string("tests/topo/good/cut.yml", p, &d);
        topo_free(t);
        strbuf_reset(&d);
        free(p);
    }
    free(src);
    strbuf_destroy(&d);
}

/* Random byte edits of good files (a small deterministic fuzzer): every
 * result parses or fails with diagnostics, never a crash or a leak. */
static void
test_mutations(void)
{
    static const char *const files[] = {"tests/topo/good/every_key.yml",
                                        "tests/topo/good/lab.json"};
    static const char alphabet[] = "{}[]:,-\"' \n#&*!|>%@`0123456789abhks";
    unsigned seed = 12345;
    struct strbuf d = STRBUF_INIT;
    for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
        size_t n;
        char *src = read_file(files[f], &n);
        CHECK(src != NULL);
        if (!src || !n)
            continue;
        for (int iter = 0; iter < 1500; iter++) {
            char *p = xstrdup(src);
            int edits = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 4;
            for (int k = 0; k < edits; k++) {
                seed = seed * 1103515245 + 12345;
                size_t at = (seed >> 8) % n;
                seed = seed * 1103515245 + 12345;
                p[at] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
            }
            struct topo *t = topo_parse_string(files[f], p, &d);
            CHECK(t != NULL || d.len > 0);
            topo_free(t);
            strbuf_reset(&d);
            free(p);
        }
        free(src);
    }
    strbuf_destroy(&d);
}

int
main(void)
{
    RUN_TEST(test_every_key);
    RUN_TEST(test_errors);
    RUN_TEST(test_merge_keys);
    RUN_TEST(test_containernet_aliases);
    RUN_TEST(test_tutorials_json);
    RUN_TEST(test_tutorials_runtime_program);
    RUN_TEST(test_values);
    RUN_TEST(test_truncations);
    RUN_TEST(test_mutations);
    TEST_EXIT();
}

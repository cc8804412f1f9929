/* Unit test of the C API <fop4/topo.h>: topo_load() builds a file's model into
 * a struct net (not started: nothing is created in the kernel), and refuses
 * an invalid file with its first path:line:col diagnostic. */
#include <string.h>

#include "fop4/net.h"
#include "fop4/topo.h"
#include "lib/err.h"
#include "test.h"

static void
test_load_demo(void)
{
    struct err e = {0};
    struct net_opts o = {.prefix = "apitest"};
    struct net *net = topo_load("examples/demo.yml", &o, &e);
    CHECK(net != NULL);
    if (!net) {
        printf("  %s\n", e.msg);
        return;
    }
    CHECK_INT(net_n_nodes(net), 6);
    CHECK_INT(net_n_links(net), 5);
    CHECK(net_get_node(net, "h3") != NULL);
    CHECK_INT(node_kind(net_get_node(net, "s2")), NODE_BRIDGE);
    CHECK_STR(net_get_prefix(net), "apitest");
    const struct link_params *p = link_get_params(net_link_at(net, 4));
    CHECK(p && p->bw_mbit == 100);
    net_free(net);
}

static void
test_load_bad(void)
{
    struct err e = {0};
    struct net *net = topo_load("tests/topo/bad/unknown_kind.yml", NULL, &e);
    CHECK(net == NULL);
    CHECK(strstr(e.msg,
                 "unknown_kind.yml:4:14: error: unknown node kind 'hots'") !=
          NULL);
    err_clear(&e);
    net = topo_load("/nonexistent.yml", NULL, &e);
    CHECK(net == NULL && strstr(e.msg, "cannot read"));
}

int
main(void)
{
    RUN_TEST(test_load_demo);
    RUN_TEST(test_load_bad);
    TEST_EXIT();
}

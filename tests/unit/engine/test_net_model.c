/* test_net_model.c - the engine's model (no kernel work): names, automatic
 * addresses and ports, built-in topologies, errors. */
#include <stdlib.h>
#include <string.h>

#include "fop4/net.h"
#include "lib/err.h"
#include "test.h"

static void
test_add_and_lookup(void)
{
    struct err e = {0};
    struct net *net = net_new(NULL);
    CHECK(net_add_host(net, "h1", NULL, &e) != NULL);
    CHECK(net_add_host(net, "h2", NULL, &e) != NULL);
    CHECK(net_add_node(net, "s1", NODE_BRIDGE, NULL, &e) != NULL);
    CHECK(net_add_link(net, "h1", "s1", NULL, NULL, NULL, &e) != NULL);
    CHECK(net_add_link(net, "h2", "s1:5", NULL, NULL, NULL, &e) != NULL);
    CHECK_INT(net_n_nodes(net), 3);
    CHECK_INT(net_n_links(net), 2);
    struct node *h2 = net_get_node(net, "h2");
    CHECK_STR(node_ip(h2), "10.0.0.2");
    CHECK_STR(node_intf_name(h2, 0), "h2-eth0");
    struct node *s1 = net_get_node(net, "s1");
    CHECK_STR(node_intf_name(s1, 0), "s1-eth1");
    CHECK_STR(node_intf_name(s1, 1), "s1-eth5");
    CHECK(node_ip(s1) == NULL);
    CHECK_STR(link_end_intf(net_link_at(net, 1), 1), "s1-eth5");
    CHECK_INT(node_kind(s1), NODE_BRIDGE);
    net_free(net);
}

static void
test_errors(void)
{
    struct err e = {0};
    struct net *net = net_new(NULL);
    net_add_host(net, "h1", NULL, &e);
    net_add_node(net, "s1", NODE_BRIDGE, NULL, &e);
    CHECK(!err_is_set(&e));
    CHECK(net_add_host(net, "h1", NULL, &e) == NULL);
    CHECK(strstr(e.msg, "already exists") != NULL);
    err_clear(&e);
    CHECK(net_add_host(net, "bad-name", NULL, &e) == NULL);
    err_clear(&e);
    CHECK(net_add_host(net, "waytoolongname", NULL, &e) == NULL);
    err_clear(&e);
    CHECK(net_add_link(net, "h1", "s2", NULL, NULL, NULL, &e) == NULL);
    CHECK(strstr(e.msg, "did you mean 's1'") != NULL);
    err_clear(&e);
    CHECK(net_add_link(net, "h1:2", "s1", NULL, NULL, NULL, &e) == NULL);
    err_clear(&e);
    CHECK(net_add_link(net, "h1", "s1:3", NULL, NULL, NULL, &e) != NULL);
    CHECK(net_add_link(net, "h1", "s1:3", NULL, NULL, NULL, &e) == NULL);
    CHECK(strstr(e.msg, "already linked") != NULL);
    err_clear(&e);
    struct link_params bad = {.loss_pct = 120};
    CHECK(net_add_link(net, "h1", "s1", &bad, NULL, NULL, &e) == NULL);
    CHECK(strstr(e.msg, "loss") != NULL);
    err_clear(&e);
    struct node_params np = {.ip = "10.0.0.300"};
    CHECK(net_add_host(net, "h9", &np, &e) == NULL);
    err_clear(&e);
    CHECK_INT(net_n_links(net), 1);
    CHECK_INT(net_del_link(net, "h1", "s1", &e), 0);
    CHECK_INT(net_n_links(net), 0);
    CHECK_INT(node_n_intfs(net_get_node(net, "h1")), 0);
    CHECK(net_del_node(net, "h7", &e) < 0);
    CHECK_INT(net_del_node(net, "h1", &e), 0);
    CHECK_INT(net_n_nodes(net), 1);
    net_free(net);
}

static void
test_topos(void)
{
    struct err e = {0};
    struct net *net = net_new(NULL);
    CHECK_INT(net_build_topo(net, "tree,2,3", &e), 0);
    /* Mininet: s1 root, s2..s4 below, h1..h9 */
    CHECK_INT(net_n_nodes(net), 13);
    CHECK_INT(net_n_links(net), 12);
    CHECK_STR(node_name(net_node_at(net, 1)), "s2");
    CHECK_STR(node_name(net_node_at(net, 2)), "h1");
    CHECK_STR(node_ip(net_get_node(net, "h9")), "10.0.0.9");
    CHECK_STR(link_end_node(net_link_at(net, 3), 0), "s1");
    CHECK_STR(link_end_node(net_link_at(net, 3), 1), "s2");
    net_free(net);

    net = net_new(NULL);
    CHECK_INT(net_build_topo(net, "linear,4", &e), 0);
    CHECK_INT(net_n_nodes(net), 8);
    CHECK_INT(net_n_links(net), 7);
    CHECK_STR(node_intf_name(net_get_node(net, "s2"), 1), "s2-eth2");
    net_free(net);

    net = net_new(NULL);
    CHECK_INT(net_build_topo(net, "single,3", &e), 0);
    CHECK_INT(net_n_nodes(net), 4);
    CHECK(net_build_topo(net, "single,3", &e) < 0); /* s1 exists */
    CHECK_INT(net_n_nodes(net), 4);                 /* nothing added */
    err_clear(&e);
    CHECK(net_build_topo(net, "tre,2", &e) < 0);
    err_clear(&e);
    CHECK(net_build_topo(net, "linear,x", &e) < 0);
    err_clear(&e);
    CHECK(net_build_topo(net, "single,1,2,3", &e) < 0);
    net_free(net);
}

static void
test_bad_prefix(void)
{
    struct err e = {0};
    struct net_opts o = {.prefix = "bad-prefix"};
    struct net *net = net_new(&o);
    CHECK(net_start(net, &e) < 0);
    CHECK(strstr(e.msg, "bad prefix") != NULL);
    net_free(net);
}

static void
test_kinds(void)
{
    CHECK_STR(node_kind_name(NODE_BRIDGE), "bridge");
    CHECK_INT(node_kind_parse("router"), NODE_ROUTER);
    CHECK_INT(node_kind_parse("switch"), NODE_BRIDGE);
    CHECK_INT(node_kind_parse("nope"), -1);
}

int
main(void)
{
    RUN_TEST(test_add_and_lookup);
    RUN_TEST(test_errors);
    RUN_TEST(test_topos);
    RUN_TEST(test_kinds);
    RUN_TEST(test_bad_prefix);
    TEST_EXIT();
}

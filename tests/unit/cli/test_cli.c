/* Unit tests for the shell (src/cli) on a network model that is not started:
 * node-name substitution, command dispatch and its errors, batch files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "fop4/net.h"
#include "lib/err.h"
#include "test.h"

static struct net *
model(void)
{
    struct err e = {0};
    struct net_opts o = {.prefix = "clitest"};
    struct net *net = net_new(&o);
    net_add_host(net, "h1", NULL, &e);
    net_add_host(net, "h2", NULL, &e);
    net_add_node(net, "s1", NODE_BRIDGE, NULL, &e);
    net_add_link(net, "h1", "s1", NULL, NULL, NULL, &e);
    net_add_link(net, "h2", "s1", NULL, NULL, NULL, &e);
    if (err_is_set(&e))
        printf("  model: %s\n", e.msg);
    return net;
}

static void
test_subst(void)
{
    struct net *net = model();
    struct cli *cli = cli_new(net);
    const char *ip2 = node_ip(net_get_node(net, "h2"));
    CHECK(ip2 != NULL);
    if (ip2) {
        char *s = cli_subst_names(cli, "ping -c1 h2");
        char want[64];
        snprintf(want, sizeof want, "ping -c1 %s", ip2);
        CHECK_STR(s, want);
        free(s);
        /* Not inside words, paths or options; bridges have no IP. */
        s = cli_subst_names(cli, "cat /tmp/h2 h2x -h2 s1");
        CHECK_STR(s, "cat /tmp/h2 h2x -h2 s1");
        free(s);
    }
    cli_free(cli);
    net_free(net);
}

/* Runs line with stdout and stderr captured into *out. */
static int
run(struct cli *cli, const char *line, char **out)
{
    fflush(stdout);
    fflush(stderr);
    FILE *f = tmpfile();
    int o = dup(1), e = dup(2);
    dup2(fileno(f), 1);
    dup2(fileno(f), 2);
    int rc = cli_exec_line(cli, line);
    fflush(stdout);
    fflush(stderr);
    dup2(o, 1);
    dup2(e, 2);
    close(o);
    close(e);
    long n = ftell(f);
    *out = calloc(1, (size_t)(n > 0 ? n : 0) + 1);
    rewind(f);
    if (n > 0 && fread(*out, 1, (size_t)n, f) != (size_t)n)
        (*out)[0] = '\0';
    fclose(f);
    return rc;
}

static void
test_dispatch(void)
{
    struct net *net = model();
    struct cli *cli = cli_new(net);
    char *out;
    CHECK_INT(run(cli, "nodes", &out), CLI_OK);
    CHECK(strstr(out, "h1 h2 s1") != NULL);
    free(out);
    CHECK_INT(run(cli, "net", &out), CLI_OK);
    CHECK(strstr(out, "h1 h1-eth0:s1-eth1") != NULL);
    free(out);
    CHECK_INT(run(cli, "pingal", &out), CLI_FAIL);
    CHECK(strstr(out, "did you mean 'pingall'?") != NULL);
    free(out);
    CHECK_INT(run(cli, "link h1 s1", &out), CLI_FAIL);
    CHECK(strstr(out, "usage: link A B up|down") != NULL);
    free(out);
    CHECK_INT(run(cli, "link h1 s9 up", &out), CLI_FAIL);
    CHECK(strstr(out, "unknown node 's9'; did you mean 's1'?") != NULL);
    free(out);
    CHECK_INT(run(cli, "linkparams h1 s1 delay=fast", &out), CLI_FAIL);
    CHECK(strstr(out, "bad delay 'fast'") != NULL);
    free(out);
    CHECK_INT(run(cli, "addhost h3 ipp=1", &out), CLI_FAIL);
    CHECK(strstr(out, "unknown key 'ipp' in host node 'h3'; did you mean 'ip'?"));
    free(out);
    CHECK_INT(run(cli, "  # a comment", &out), CLI_OK);
    free(out);
    CHECK_INT(run(cli, "exit", &out), CLI_EXIT);
    free(out);
    CHECK_INT(run(cli, "help", &out), CLI_OK);
    CHECK(strstr(out, "linkparams") && strstr(out, "NODE COMMAND"));
    free(out);
    cli_free(cli);
    net_free(net);
}

int
main(void)
{
    RUN_TEST(test_subst);
    RUN_TEST(test_dispatch);
    TEST_EXIT();
}

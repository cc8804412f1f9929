/* kind.c - the registry of node kinds (kind.h): enum node_kind -> its ops.
 *
 * The built-in kinds (host, router, bridge) live in node_host.c, docker in
 * node_docker.c, p4switch in node_p4switch.c. The references are strong so
 * that the static archive's objects of every kind are linked in. */
#include "engine/kind.h"

#include <string.h>

extern const struct node_kind_ops node_host_ops, node_router_ops,
    node_bridge_ops;
extern const struct node_kind_ops node_docker_ops;
extern const struct node_kind_ops node_p4switch_ops;

static const char *const kind_names[NODE_KIND_MAX] = {
    [NODE_HOST] = "host",         [NODE_ROUTER] = "router",
    [NODE_BRIDGE] = "bridge",     [NODE_DOCKER] = "docker",
    [NODE_P4SWITCH] = "p4switch",
};

const struct node_kind_ops *
kind_ops(enum node_kind kind)
{
    switch (kind) {
    case NODE_HOST:
        return &node_host_ops;
    case NODE_ROUTER:
        return &node_router_ops;
    case NODE_BRIDGE:
        return &node_bridge_ops;
    case NODE_DOCKER:
        return &node_docker_ops;
    case NODE_P4SWITCH:
        return &node_p4switch_ops;
    default:
        return NULL;
    }
}

const char *
node_kind_name(enum node_kind kind)
{
    if ((unsigned)kind >= NODE_KIND_MAX)
        return "?";
    return kind_names[kind];
}

int
node_kind_parse(const char *name)
{
    for (int i = 0; i < NODE_KIND_MAX; i++)
        if (!strcmp(name, kind_names[i]))
            return i;
    /* Mininet and topology files say "switch" for a plain L2 switch. */
    if (!strcmp(name, "switch"))
        return NODE_BRIDGE;
    return -1;
}

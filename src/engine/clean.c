/* clean.c - placeholder */
#include <errno.h>

#include "engine/net_impl.h"

void
net_raise_neigh_limits(struct net *net, size_t n_hosts)
{
}

void
net_restore_neigh_limits(struct net *net)
{
}

int
net_clean(const char *prefix, int verbose, struct err *err)
{
    return 0;
}

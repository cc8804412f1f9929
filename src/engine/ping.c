/* ping.c - placeholder */
#include <errno.h>

#include "engine/net_impl.h"

int
net_ping(struct net *net, struct node *const *nodes, size_t n, int count,
         int interval_ms, int timeout_ms, struct ping_result **res,
         size_t *nres, struct err *err)
{
    return err_set(err, -ENOSYS, "net_ping: not implemented yet");
}

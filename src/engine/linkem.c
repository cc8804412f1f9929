/* linkem.c - link emulation (placeholder: direct veths only). */
#include <errno.h>

#include "engine/net_impl.h"

int
linkem_needs_relay(const struct link *link)
{
    return 0;
}

int
linkem_create_relayed(struct link *link, struct err *err)
{
    return err_set(err, -ENOSYS, "relayed links are not implemented yet");
}

int
linkem_apply(struct link *link, struct err *err)
{
    return 0;
}

int
linkem_has_state(const struct link *link)
{
    return 0;
}

void
linkem_remove(struct link *link)
{
}

void
relay_free(struct relay *r)
{
}

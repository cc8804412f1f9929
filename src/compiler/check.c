/* check.c - name resolution and checks (check.h). */
#include "compiler/check.h"

int
cc_check(struct cc *c)
{
    return c->nerrors ? -1 : 0;
}

/* json.c - BMv2 JSON back end (bmv2.h). */
#include "compiler/bmv2/bmv2.h"

int
bmv2_lower(struct cc *c)
{
    return 0;
}

int
bmv2_emit_json(struct cc *c, FILE *f)
{
    fprintf(f, "{}\n");
    return 0;
}

int
p4info_emit(struct cc *c, FILE *f, int fmt)
{
    return 0;
}

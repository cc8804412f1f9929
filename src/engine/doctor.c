/* doctor.c - placeholder */
#include "engine/net_impl.h"

void
net_doctor(FILE *out)
{
}

/* log.c - timestamped log lines; the level check is inlined by LOG() so disabled
 * levels cost one comparison. */
#include "lib/log.h"

#include <string.h>
#include <sys/time.h>
#include <time.h>

enum log_level log_min_level = LOG_WARN;
static FILE *log_out;
static int log_flush;

static const char *const level_names[] = {"trace", "debug", "info",
                                          "warn",  "error", "off"};

int
log_level_parse(const char *name)
{
    for (size_t i = 0; i < ARRAY_SIZE(level_names); i++)
        if (!strcmp(name, level_names[i]))
            return (int)i;
    if (!strcmp(name, "warning"))
        return LOG_WARN;
    return -1;
}

void
log_set_output(FILE *f, int flush_each)
{
    log_out = f;
    log_flush = flush_each;
}

void
log_msg(enum log_level lvl, const char *fmt, ...)
{
    FILE *f = log_out ? log_out : stderr;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    struct tm tm;
    localtime_r(&tv.tv_sec, &tm);
    fprintf(f, "[%02d:%02d:%02d.%03ld] [%s] ", tm.tm_hour, tm.tm_min, tm.tm_sec,
            (long)(tv.tv_usec / 1000), level_names[lvl]);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(f, fmt, ap);
    va_end(ap);
    fputc('\n', f);
    if (log_flush)
        fflush(f);
}

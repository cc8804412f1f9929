/* log.h - leveled logging to stderr or a file, as BMv2's -L levels:
 * trace, debug, info, warn, error, off. */
#ifndef FOP4_LOG_H
#define FOP4_LOG_H

#include <stdio.h>

#include "lib/util.h"

enum log_level { LOG_TRACE, LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

extern enum log_level log_min_level;

/* Parses "trace".."off"; returns -1 for an unknown name. */
int log_level_parse(const char *name);
/* Sends log lines to f (default stderr); flush_each makes every line flushed. */
void log_set_output(FILE *f, int flush_each);
void log_msg(enum log_level lvl, const char *fmt, ...) PRINTF_FMT(2, 3);

#define LOG_ENABLED(lvl) ((lvl) >= log_min_level)
#define LOG(lvl, ...)                                                          \
    do {                                                                       \
        if (LOG_ENABLED(lvl))                                                  \
            log_msg(lvl, __VA_ARGS__);                                         \
    } while (0)

#endif

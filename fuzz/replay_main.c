/* replay_main.c - a main() for the fuzz harnesses without libFuzzer: runs
 * LLVMFuzzerTestOneInput() once on each file named on the command line (a
 * directory stands for the files in it, sorted). Built with gcc and the
 * sanitizers by tests/fuzz/replay.sh; a crash aborts the process after
 * "replay: <file>" names the input. An input that takes more than
 * FUZZ_INPUT_SECONDS of CPU time (default 3; the seeds take milliseconds)
 * fails as too slow, as libFuzzer's -timeout would: slow-input reproducers
 * stay tests. Exits 77 when the harness cannot run here (fuzz_skip), 1 when
 * an input failed, 0 when every input ran. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fuzz.h"
#include "lib/util.h"

/* Harnesses that need no initialisation do not define it. */
__attribute__((weak)) int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    return 0;
}

static int
run_file(const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    if (!data) {
        fprintf(stderr, "replay: %s: cannot read\n", path);
        return -1;
    }
    fprintf(stderr, "replay: %s (%zu bytes)\n", path, len);
    /* A copy of exactly len bytes, so ASan sees reads past the input. */
    uint8_t *copy = malloc(len ? len : 1);
    if (!copy)
        abort();
    memcpy(copy, data, len);
    free(data);
    const char *lim = getenv("FUZZ_INPUT_SECONDS");
    double max_s = lim && *lim ? atof(lim) : 3.0;
    clock_t t0 = clock();
    LLVMFuzzerTestOneInput(copy, len);
    double s = (double)(clock() - t0) / CLOCKS_PER_SEC;
    free(copy);
    if (s > max_s) {
        fprintf(stderr, "replay: %s: too slow: %.1f s of CPU (limit %.1f s)\n",
                path, s, max_s);
        return -1;
    }
    return 0;
}

static int
cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
run_path(const char *path, int *count)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: %s: not found\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        ++*count;
        return run_file(path);
    }
    DIR *d = opendir(path);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        names = realloc(names, (n + 1) * sizeof *names);
        if (!names)
            abort();
        names[n] = malloc(strlen(path) + strlen(de->d_name) + 2);
        if (!names[n])
            abort();
        sprintf(names[n++], "%s/%s", path, de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (run_path(names[i], count) < 0)
            rc = -1;
        free(names[i]);
    }
    free(names);
    return rc;
}

int
main(int argc, char **argv)
{
    LLVMFuzzerInitialize(&argc, &argv);
    if (fuzz_skip) {
        printf("replay: skipped: %s\n", fuzz_skip);
        return 77;
    }
    int rc = 0, count = 0;
    for (int i = 1; i < argc; i++)
        if (run_path(argv[i], &count) < 0)
            rc = 1;
    fprintf(stderr, "replay: %d input%s done\n", count, count == 1 ? "" : "s");
    return rc;
}

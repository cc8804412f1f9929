/* test_load.c - every BMv2 JSON in the shared corpus loads into the switch
 * core, and broken programs get an error naming the JSON path. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "switch/sw.h"
#include "test.h"

static int n_loaded, n_failed;

static int
is_program(const char *path)
{
    /* skip runtime/topology JSON of the tutorials and non-programs */
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (strstr(b, "runtime") || strstr(b, "topology") ||
        !strcmp(b, "empty_config.json") || !strcmp(b, "config_options.json") ||
        !strcmp(b, "one_extern.json"))
        return 0;
    size_t n = strlen(b);
    return n > 5 && !strcmp(b + n - 5, ".json");
}

static void
walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path);
            continue;
        }
        if (!is_program(path) || strstr(path, "/pna_nic/") ||
            strstr(path, "/psa_switch/"))
            continue; /* other architectures than v1model */
        struct err e = {0};
        struct sw *sw = sw_new(path, NULL, &e);
        if (!sw) {
            /* only p4c/p4c-bm programs must load; say which failed */
            printf("  cannot load %s: %s\n", path, e.msg);
            n_failed++;
        } else {
            n_loaded++;
        }
        sw_free(sw);
    }
    closedir(d);
}

static void
test_corpus_loads(void)
{
    const char *sh = getenv("FOP4_SHARED");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus", sh ? sh : "../shared");
    struct stat st;
    if (stat(dir, &st)) {
        printf("SKIP: corpus_loads (no %s)\n", dir);
        return;
    }
    walk(dir);
    printf("  %d programs loaded, %d failed\n", n_loaded, n_failed);
    CHECK(n_loaded > 100);
    CHECK_INT(n_failed, 0);
}

static void
expect_error(const char *json, const char *want)
{
    struct err e = {0};
    struct sw *sw = sw_new_from_buffer(json, strlen(json), "t.json", NULL, &e);
    CHECK(sw == NULL);
    if (!strstr(e.msg, want)) {
        printf("  message '%s' lacks '%s'\n", e.msg, want);
        CHECK(0);
    }
    sw_free(sw);
}

static void
test_errors_name_path(void)
{
    expect_error("{", "t.json:1:");
    expect_error("[]", "object");
    expect_error("{\"header_types\": [], \"headers\": [{\"name\": \"h\", "
                 "\"header_type\": \"nope\"}]}",
                 "headers[0]: unknown header_type 'nope'");
    expect_error(
        "{\"header_types\": [], \"headers\": [], \"actions\": [{\"name\": "
        "\"a\", \"id\": 0, \"runtime_data\": [], \"primitives\": [{\"op\": "
        "\"asign\", \"parameters\": []}]}]}",
        "actions[0].primitives[0]: unknown primitive 'asign' (did you mean "
        "'assign'?)");
    expect_error(
        "{\"header_types\": [{\"name\": \"t\", \"fields\": [[\"f\", 8]]}], "
        "\"headers\": [{\"name\": \"h\", \"header_type\": \"t\", "
        "\"metadata\": true}], \"actions\": [], \"pipelines\": [{\"name\": "
        "\"ingress\", \"init_table\": null, \"tables\": [{\"name\": \"tb\", "
        "\"match_type\": \"exact\", \"key\": [{\"match_type\": \"exat\", "
        "\"target\": [\"h\", \"f\"]}], \"actions\": []}]}]}",
        "pipelines[0].tables[0].key[0]: unknown match_type 'exat' (did you "
        "mean 'exact'?)");
}

int
main(void)
{
    RUN_TEST(test_errors_name_path);
    RUN_TEST(test_corpus_loads);
    TEST_EXIT();
}

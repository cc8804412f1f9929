/* test_fuzz_load.c - the loader never crashes: corpus programs with one JSON
 * element deleted or replaced by a value of the wrong type either load or are
 * refused with a message; loaded ones then take packets. Fixed seed, so a
 * failure reproduces. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "switch/sw.h"
#include "test.h"

static json_t **nodes;
static size_t n_nodes, cap_nodes;

static void
collect(json_t *j)
{
    if (json_is_object(j) || json_is_array(j)) {
        if (n_nodes == cap_nodes) {
            cap_nodes = cap_nodes ? cap_nodes * 2 : 1024;
            nodes = realloc(nodes, cap_nodes * sizeof *nodes);
        }
        nodes[n_nodes++] = j;
    }
    if (json_is_object(j)) {
        const char *k;
        json_t *v;
        json_object_foreach(j, k, v) collect(v);
    } else if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) collect(v);
    }
}

static json_t *
wrong_value(unsigned r)
{
    switch (r % 6) {
    case 0:
        return json_integer(-1);
    case 1:
        return json_string("x");
    case 2:
        return json_null();
    case 3:
        return json_array();
    case 4:
        return json_integer(1000000);
    default:
        return json_object();
    }
}

static void
mutate_and_load(const char *path, int rounds, unsigned *seed)
{
    json_error_t je;
    json_t *orig = json_load_file(path, 0, &je);
    if (!orig)
        return;
    static const uint8_t frame[64] = {0x00, 0xaa, 0xbb, 0, 0, 0,
                                      0,    4,    0,    0, 0, 0,
                                      0x08, 0x00, 0x45, 0, 0, 0x32};
    int loaded = 0, refused = 0;
    for (int r = 0; r < rounds; r++) {
        json_t *j = json_deep_copy(orig);
        n_nodes = 0;
        collect(j);
        json_t *n = nodes[(size_t)rand_r(seed) % n_nodes];
        unsigned how = (unsigned)rand_r(seed);
        if (json_is_object(n) && json_object_size(n)) {
            size_t pick = (size_t)rand_r(seed) % json_object_size(n), i = 0;
            const char *k;
            json_t *v;
            const char *key = NULL;
            json_object_foreach(n, k, v) if (i++ == pick) key = k;
            char *kc = strdup(key);
            if (how % 2)
                json_object_del(n, kc);
            else
                json_object_set_new(n, kc, wrong_value(how / 2));
            free(kc);
        } else if (json_is_array(n) && json_array_size(n)) {
            size_t i = (size_t)rand_r(seed) % json_array_size(n);
            if (how % 2)
                json_array_remove(n, i);
            else
                json_array_set_new(n, i, wrong_value(how / 2));
        }
        char *txt = json_dumps(j, JSON_COMPACT);
        struct err e = {0};
        struct sw *sw =
            sw_new_from_buffer(txt, strlen(txt), "m.json", NULL, &e);
        if (sw) {
            struct sw_pkt in = {1, sizeof frame, frame}, out[8];
            size_t no;
            sw_process(sw, &in, 1, out, 8, &no);
            loaded++;
        } else {
            CHECK(e.msg[0] != 0);
            refused++;
        }
        sw_free(sw);
        free(txt);
        json_decref(j);
    }
    json_decref(orig);
    printf("  %s: %d loaded, %d refused\n", strrchr(path, '/') + 1, loaded,
           refused);
}

static void
test_mutations(void)
{
    const char *sh = getenv("FOP4_SHARED");
    static const char *const files[] = {
        "bmv2/mininet/simple_router.json",
        "stf/v1model-special-ops-bmv2.p4c.json",
        "stf/header-stack-ops-bmv2.p4c.json",
        "stf/checksum1-bmv2.p4c.json",
        "fop4/eINT/int.json",
        "bmv2/targets/simple_switch/tests/CLI_tests/testdata/indirect_res.json",
    };
    unsigned seed = 12345;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/corpus/%s", sh ? sh : "../shared",
                 files[i]);
        if (stat(path, &st))
            continue;
        mutate_and_load(
            path, getenv("FUZZ_ROUNDS") ? atoi(getenv("FUZZ_ROUNDS")) : 150,
            &seed);
    }
    free(nodes);
}

/* Random frames (0..300 bytes, some starting like IPv4/Ethernet) through every
 * STF program of the corpus: parser errors, never a crash. */
static void
test_random_packets(void)
{
    const char *sh = getenv("FOP4_SHARED");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/corpus/stf", sh ? sh : "../shared");
    FILE *ls = NULL;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "ls %s/*.p4c.json 2>/dev/null", dir);
    ls = popen(cmd, "r");
    if (!ls)
        return;
    char path[4096];
    unsigned seed = 777;
    int progs = 0;
    uint8_t buf[300];
    while (fgets(path, sizeof path, ls)) {
        path[strcspn(path, "\n")] = 0;
        struct err e = {0};
        struct sw *sw = sw_new(path, NULL, &e);
        if (!sw)
            continue;
        progs++;
        for (int r = 0; r < 200; r++) {
            size_t len = (size_t)rand_r(&seed) % sizeof buf;
            for (size_t i = 0; i < len; i++)
                buf[i] = (uint8_t)rand_r(&seed);
            if (len > 14 && r % 2) {
                buf[12] = 0x08;
                buf[13] = 0x00;
                buf[14] = 0x45;
            }
            struct sw_pkt in = {(uint32_t)rand_r(&seed) % 8, (uint32_t)len,
                                buf},
                          out[64];
            size_t no;
            sw_process(sw, &in, 1, out, 64, &no);
        }
        sw_free(sw);
    }
    pclose(ls);
    printf("  %d programs took random frames\n", progs);
}

int
main(void)
{
    RUN_TEST(test_mutations);
    RUN_TEST(test_random_packets);
    TEST_EXIT();
}

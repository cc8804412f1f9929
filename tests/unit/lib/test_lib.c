/* Unit tests for src/lib: strbuf, hmap, vec, err, diag. */
#include <stdlib.h>

#include "lib/diag.h"
#include "lib/err.h"
#include "lib/hmap.h"
#include "lib/strbuf.h"
#include "lib/vec.h"
#include "test.h"

static void
test_strbuf(void)
{
    struct strbuf sb = STRBUF_INIT;
    CHECK_STR(strbuf_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        strbuf_printf(&sb, "%d,", i);
    CHECK(sb.len == strlen(sb.s));
    CHECK(str_starts(sb.s, "0,1,2,"));
    char *s = strbuf_steal(&sb);
    CHECK(sb.s == NULL);
    free(s);
}

static void
test_hmap(void)
{
    struct hmap m = HMAP_INIT;
    char keys[500][16];
    for (int i = 0; i < 500; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        hmap_put(&m, keys[i], keys[i], NULL);
    }
    CHECK_INT(m.n, 500);
    for (int i = 0; i < 500; i += 2)
        CHECK(hmap_del(&m, keys[i]) == keys[i]);
    for (int i = 0; i < 500; i++)
        CHECK(hmap_get(&m, keys[i]) == (i % 2 ? keys[i] : NULL));
    size_t pos = 0, seen = 0;
    while (hmap_next(&m, &pos, NULL, NULL))
        seen++;
    CHECK_INT(seen, 250);
    hmap_destroy(&m);
}

static void
test_vec(void)
{
    VEC(int) v = VEC_INIT;
    for (int i = 0; i < 100; i++)
        VEC_PUSH(&v, i * i);
    CHECK_INT(v.n, 100);
    CHECK_INT(v.v[99], 99 * 99);
    VEC_FREE(&v);
}

static void
test_err(void)
{
    struct err e;
    err_clear(&e);
    CHECK(!err_is_set(&e));
    CHECK_INT(err_set(&e, -2, "no such %s", "file"), -2);
    err_set(&e, -5, "second error is ignored");
    err_prefix(&e, "link %s", "h1-s1");
    CHECK_STR(e.msg, "link h1-s1: no such file");
    CHECK_INT(e.code, -2);
}

static void
test_diag(void)
{
    struct strbuf sb = STRBUF_INIT;
    diag_format(&sb, "error", "lab.yml", "a: 1\nnodes:\n  h1: {kind: hots}\n", 3,
                15, "unknown kind '%s'", "hots");
    CHECK_STR(sb.s, "lab.yml:3:15: error: unknown kind 'hots'\n"
                    "      h1: {kind: hots}\n"
                    "                  ^\n");
    strbuf_destroy(&sb);
    const char *kinds[] = {"host", "docker", "p4switch", "bridge", "router"};
    CHECK_STR(diag_suggest("hots", kinds, 5), "host");
    CHECK(diag_suggest("zzzzzz", kinds, 5) == NULL);
    CHECK_INT(edit_distance("kitten", "sitting"), 3);
}

int
main(void)
{
    RUN_TEST(test_strbuf);
    RUN_TEST(test_hmap);
    RUN_TEST(test_vec);
    RUN_TEST(test_err);
    RUN_TEST(test_diag);
    TEST_EXIT();
}

/* test.h - the unit-test harness: each TEST is a function; RUN_TEST prints
 * "PASS: <file>:<name>" or "FAIL: <file>:<name>" with the first failed CHECK, the
 * lines tests/run.sh counts. main() returns non-zero if any test failed. */
#ifndef FOP4_TEST_H
#define FOP4_TEST_H

#include <stdio.h>
#include <string.h>

static int test_failed_;   /* failures in the running test */
static int tests_failed_;  /* tests that failed */

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            if (!test_failed_)                                                 \
                printf("  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__,      \
                       #cond);                                                 \
            test_failed_ = 1;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_STR(a, b)                                                        \
    do {                                                                       \
        const char *a_ = (a), *b_ = (b);                                       \
        if (!a_ || !b_ || strcmp(a_, b_)) {                                    \
            if (!test_failed_)                                                 \
                printf("  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__,      \
                       a_ ? a_ : "(null)", b_ ? b_ : "(null)");                \
            test_failed_ = 1;                                                  \
        }                                                                      \
    } while (0)

#define CHECK_INT(a, b)                                                        \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_) {                                                        \
            if (!test_failed_)                                                 \
                printf("  %s:%d: %s == %lld, expected %lld\n", __FILE__,       \
                       __LINE__, #a, a_, b_);                                  \
            test_failed_ = 1;                                                  \
        }                                                                      \
    } while (0)

#define RUN_TEST(fn)                                                           \
    do {                                                                       \
        test_failed_ = 0;                                                      \
        fn();                                                                  \
        printf("%s: %s:%s\n", test_failed_ ? "FAIL" : "PASS", __FILE__, #fn); \
        fflush(stdout);                                                        \
        tests_failed_ += test_failed_;                                         \
    } while (0)

#define TEST_EXIT() return tests_failed_ ? 1 : 0

#endif

/* fuzz.h - what every fuzz harness shares (docs/fuzzing.md).
 *
 * Each fuzz/fuzz_<target>.c defines LLVMFuzzerTestOneInput() (and may define
 * LLVMFuzzerInitialize()); the same file links either with libFuzzer (make
 * fuzz, clang) or with replay_main.c (tests/fuzz/replay.sh, gcc + sanitizers)
 * which feeds it the files of fuzz/corpus/<target>/. */
#ifndef FOP4_FUZZ_H
#define FOP4_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Set by a harness's initialisation when it cannot run here (the shared
 * corpus it loads programs from is absent): the replay then skips it. */
extern const char *fuzz_skip;

/* The path of rel inside the shared test corpus ($FOP4_SHARED/corpus, else
 * ../shared/corpus), or NULL if that file does not exist. Caller frees. */
char *fuzz_corpus_path(const char *rel);
/* The project's p4include directory ($FOP4_ROOT/p4include, else
 * ./p4include), or NULL. Caller frees. */
char *fuzz_p4include(void);
/* data[0..size) as a NUL-terminated string, cut at its first NUL byte.
 * Caller frees. */
char *fuzz_cstr(const uint8_t *data, size_t size);
/* A FILE that discards everything (diagnostics nobody reads). */
FILE *fuzz_devnull(void);

#endif

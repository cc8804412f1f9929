# FOP4-C: the one build file.
#
#   make            build everything into build/ (binaries in build/bin)
#   make SAN=1      the same with AddressSanitizer + UBSan, into build/san
#   make check      install missing Debian packages, build both, run every test
#   make check T=switch   run only the tests whose path contains "switch"
#   make bench      run the benchmarks (they print figures)
#   make lint / format / clean / install
#
# Layout: every directory src/<module>/ (recursively) becomes build/lib/lib<module>.a;
# every src/main/<name>.c becomes build/bin/<name>, linked with the modules listed in
# <name>_MODS (default: lib). Unit tests tests/unit/<module>/test_*.c become
# build/tests/unit/<module>/test_* linked with <module> and its dependencies.
# B=DIR puts every output in DIR (and DIR/san for SAN=1): helpful when several
# people build in one tree; test such a tree with FOP4_BUILD=DIR tests/run.sh.

SAN ?= 0
.DEFAULT_GOAL := all
B ?= build
ifeq ($(SAN),1)
O ?= $(B)/san
else
O ?= $(B)
endif

CC ?= gcc
# -Wno-format-truncation: snprintf truncating into a fixed buffer is deliberate
# where we use it, and gcc's guesses differ between -O1 and -O2 (the SAN build).
WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
        -Wno-unused-parameter -Wno-format-nonliteral -Wno-format-truncation
ifeq ($(CI),true)
WARN += -Werror
endif
OPT := -O2 -g
ifeq ($(SAN),1)
OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=undefined
endif
CPPFLAGS += -Iinclude -Isrc -DFOP4_VERSION=\"$(VERSION)\"
CFLAGS += -std=c11 -D_GNU_SOURCE $(OPT) $(WARN) -MMD -MP
LDFLAGS += $(filter -fsanitize=%,$(OPT))
LDLIBS := -ljansson -lyaml -lmnl -lcurl -ledit -lpcap -lmd -lnanomsg -lpthread -lm

VERSION := 0.1.0
PREFIX ?= /usr/local

# Module graph: dependencies point one way (STYLE.md):
# lib <- compiler, switch, engine <- cli, control.
MODULES := lib engine cli compiler switch control vnf
lib_DEPS :=
engine_DEPS := lib
cli_DEPS := engine lib
compiler_DEPS := lib
switch_DEPS := lib
control_DEPS := switch lib
vnf_DEPS := lib

# Binaries and the modules they link (order matters for static archives).
fop4_MODS := cli engine control switch compiler lib
fop4-switch_MODS := control switch lib
fop4-switch-cli_MODS := control switch lib
fop4-p4c_MODS := compiler lib
fop4-stf_MODS := control switch lib

# ---------------------------------------------------------------------------

MAIN_SRCS := $(wildcard src/main/*.c)
BINS := $(patsubst src/main/%.c,$(O)/bin/%,$(MAIN_SRCS))

define module_rules
$(1)_SRCS := $$(shell find src/$(1) -name '*.c' 2>/dev/null | sort)
$(1)_OBJS := $$(patsubst src/%.c,$(O)/obj/%.o,$$($(1)_SRCS))
$(O)/lib/lib$(1).a: $$($(1)_OBJS)
	@mkdir -p $$(@D)
	@rm -f $$@
	$$(if $$^,ar rcs $$@ $$^,ar rcs $$@)
endef
$(foreach m,$(MODULES),$(eval $(call module_rules,$(m))))

modlibs = $(foreach m,$(1),$(O)/lib/lib$(m).a)

define bin_rules
$(O)/bin/$(1): $(O)/obj/main/$(1).o $$(call modlibs,$$(or $$($(1)_MODS),lib))
	@mkdir -p $$(@D)
	$$(CC) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach b,$(patsubst src/main/%.c,%,$(MAIN_SRCS)),$(eval $(call bin_rules,$(b))))

UNIT_SRCS := $(shell find tests/unit -name 'test_*.c' 2>/dev/null | sort)
UNIT_BINS := $(patsubst tests/%.c,$(O)/tests/%,$(UNIT_SRCS))
unitmod = $(word 3,$(subst /, ,$(1)))
define unit_rules
$(patsubst tests/%.c,$(O)/tests/%,$(1)): $(1) $$(call modlibs,$(call unitmod,$(1)) $$($(call unitmod,$(1))_DEPS))
	@mkdir -p $$(@D)
	$$(CC) $$(CPPFLAGS) -Itests/unit $$(CFLAGS) $$(LDFLAGS) -o $$@ $$^ $$(LDLIBS)
endef
$(foreach u,$(UNIT_SRCS),$(eval $(call unit_rules,$(u))))

# The C API library users link against: #include <fop4/net.h>, -lfop4.
$(O)/lib/libfop4.a: $(engine_OBJS) $(lib_OBJS)
	@mkdir -p $(@D)
	@rm -f $@
	ar rcs $@ $^

$(O)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

.PHONY: all check deps bench lint format clean install demo print-ldlibs
all: $(BINS) $(UNIT_BINS) $(O)/lib/libfop4.a

deps:
	@scripts/deps.sh

# The libraries every binary links with, for scripts that link harnesses of
# their own (fuzz/run.sh, tests/fuzz/replay.sh).
print-ldlibs:
	@echo $(LDLIBS)

# The README's test command. Builds the normal and the sanitizer tree, then runs
# every test (tests/run.sh prints "N passed, N failed" last).
check: deps
	$(MAKE) -j$(shell nproc) all
	$(MAKE) -j$(shell nproc) SAN=1 all
	FOP4_BUILD=$(B) tests/run.sh $(T)

bench: all
	@for b in bench/*.sh; do echo "== $$b"; bash $$b || exit 1; done

demo: all
	build/bin/fop4 run examples/stack.yml --test pingall

lint:
	cppcheck --quiet --enable=warning,performance,portability --inline-suppr \
	    --error-exitcode=1 -Iinclude -Isrc src
	clang-tidy --quiet $(shell find src -name '*.c') -- $(CPPFLAGS) -std=c11 -D_GNU_SOURCE

format:
	clang-format -i $(shell find src include tests/unit -name '*.[ch]')

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/fop4
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(O)/lib/libfop4.a $(DESTDIR)$(PREFIX)/lib
	install -m 644 include/fop4/*.h $(DESTDIR)$(PREFIX)/include/fop4
	if [ -d p4include ]; then install -d $(DESTDIR)$(PREFIX)/share/fop4/p4include && \
	    install -m 644 p4include/*.p4 $(DESTDIR)$(PREFIX)/share/fop4/p4include; fi

clean:
	rm -rf build

# Fuzzing (docs/fuzzing.md): clang + libFuzzer + ASan/UBSan, every target of
# fuzz/targets for FUZZ_SECONDS each, into $(B)/fuzz. Not part of all/check:
# CI replays fuzz/corpus/ instead (tests/fuzz/replay.sh).
FUZZ_SECONDS ?= 60
.PHONY: fuzz
fuzz:
	B=$(B) FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ_TARGETS)

-include $(shell find $(O)/obj $(O)/tests -name '*.d' 2>/dev/null)

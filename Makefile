# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here serves them.
BUILD ?= build
JOBS ?= 2
MITRA := $(BUILD)/src/cli/mitra

.PHONY: all deps configure build run test bench debug soak fuzz clean format install package

all: build

deps:
	@scripts/install-deps.sh

# ccache, when the machine has it, shares compiled objects between build folders, and between
# checkouts of the same sources in other folders (paths below the checkout are hashed relative to
# it, and the build folder is not hashed: -g would otherwise tie every object to its folder).
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR ?= $(CURDIR)
export CCACHE_NOHASHDIR ?= 1

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LAUNCHER) >/dev/null

build: configure
	@cmake --build $(BUILD) -j$(JOBS)

# The main job: the web app on the default database ($$MITRA_DB, else
# ~/.local/share/mitra/mitra.db). It prints the address to open; Ctrl-C stops it.
# Only the program is built here; `make test` builds the tests too.
PORT ?= 8080
run: configure
	@cmake --build $(BUILD) -j$(JOBS) --target mitra
	@$(MITRA) serve --port $(PORT)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j$(JOBS)

# Installs the program (stripped) and its PostgreSQL module (PREFIX/lib/mitra/modules), manual
# pages, completions and systemd units under PREFIX.
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX) --strip

# The Debian package, build/mitra_<version>_amd64.deb (CPack), checked by lintian.
package: build
	@cd $(BUILD) && cpack -G DEB
	@lintian --fail-on error $(BUILD)/mitra_*.deb

bench: build
	@scripts/bench.sh $(BUILD)
	@scripts/bench-http.sh $(BUILD)
	@scripts/bench-pg.sh $(BUILD)
	@scripts/bench-clinic.sh $(BUILD)
	@node bench/home_page.mjs $(MITRA)
	@CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} node bench/lighthouse.mjs $(MITRA)

# Debug build with AddressSanitizer and UndefinedBehaviorSanitizer, tests included; CI runs it
# after `make test` (.ci/run). Tests left out of it, and why, are in CMakePresets.json
# ("debug" test preset).
debug: deps
	@cmake --preset debug $(LAUNCHER) >/dev/null
	@cmake --build --preset debug -j$(JOBS)
	@ctest --preset debug -j$(JOBS)

# Long fault trials, not part of `make test` (about 45 minutes): SOAK_TRIALS rounds of
# `mitra log` writers killed with SIGKILL, SOAK_TRIALS / 5 (at least 6) rounds of `mitra serve` killed
# under load, then `mitra serve` for SOAK_SECONDS under wrk at half its measured maximum rate,
# its memory and open descriptors sampled and required to stay flat (tests/crash/soak_serve.sh).
SOAK_TRIALS ?= 200
SOAK_SECONDS ?= 1800
soak: configure
	@cmake --build $(BUILD) -j$(JOBS) --target mitra
	@bash tests/crash/crash_test.sh $(MITRA) $(SOAK_TRIALS)
	@bash tests/crash/crash_serve_test.sh $(MITRA) $$(( $(SOAK_TRIALS) / 5 > 6 ? $(SOAK_TRIALS) / 5 : 6 ))
	@SOAK_SECONDS=$(SOAK_SECONDS) bash tests/crash/soak_serve.sh $(MITRA)

# libFuzzer on every harness of tests/fuzz (clang, ASan+UBSan, in build-fuzz/), FUZZ_SECONDS each,
# one after the other; new coverage is merged into tests/fuzz/corpus/, crashes are saved in
# tests/fuzz/crashes/ (CONTRIBUTING.md, "Fuzzing"). FUZZ_TARGETS="amount time" for some only.
FUZZ_SECONDS ?= 60
fuzz: deps
	@FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/fuzz.sh

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD) build-debug build-fuzz

# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here serves them.
BUILD ?= build
JOBS ?= 2
MITRA := $(BUILD)/src/cli/mitra

.PHONY: all deps configure build run test bench debug fuzz clean format

all: build

deps:
	@scripts/install-deps.sh

# ccache, when the machine has it, shares compiled objects between build folders.
LAUNCHER := $(if $(shell command -v ccache 2>/dev/null),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

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

bench: build
	@scripts/bench.sh $(BUILD)
	@scripts/bench-http.sh $(BUILD)

# Debug build with AddressSanitizer and UndefinedBehaviorSanitizer, tests included.
debug: deps
	@cmake --preset debug >/dev/null
	@cmake --build --preset debug -j$(JOBS)
	@ctest --preset debug -j$(JOBS)

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

# The two commands of the README: `make run` and `make test`. Each installs what is missing,
# configures once and builds incrementally.
SHELL := /bin/bash
.DEFAULT_GOAL := help
CMAKE ?= cmake

.PHONY: help deps run release debug asan test test-debug test-asan bench format clean

help:
	@echo "make run    build a release binary and serve http://127.0.0.1:8080 (SQLite under ./var/)"
	@echo "make test   build release, then build and run every test suite (debug, then ASan + UBSan)"
	@echo "make bench  run the load benchmarks (see docs/performance.md)"

deps:
	@./scripts/install-deps.sh

# build/<preset> is configured on first use only; later runs are incremental.
build/%/CMakeCache.txt: | deps
	$(CMAKE) --preset $* >/dev/null

release debug asan: %: deps build/%/CMakeCache.txt
	$(CMAKE) --build --preset $*

run: release
	./build/release/src/ferrlabs-api serve

test-debug: debug
	ctest --preset debug

test-asan: asan
	ctest --preset asan

# The release build is part of the test: -O3 brings warnings (and -Werror failures) of its own,
# and `make run` must never be the first to find them.
test: release test-debug test-asan

bench: release
	./bench/run.sh
	./bench/login.sh
	./bench/idle_memory.sh
	./bench/telemetry.sh
	BENCH_DATABASE=postgres ./bench/telemetry.sh
	./bench/emitter_overhead.sh
	./bench/stats.sh
	BENCH_DATABASE=postgres ./bench/stats.sh
	BENCH_BASELINE=$(BENCH_BASELINE) ./bench/backends.sh

# The SQLite figures of bench/backends.sh are compared with this revision's binary, measured in
# the same run: the last commit before the concurrency redesign (docs/decisions/0003).
BENCH_BASELINE ?= e6d9cfe

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'bench/*.cpp')

clean:
	rm -rf build

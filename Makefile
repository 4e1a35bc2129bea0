# Thin wrapper over CMake. The two commands of the README:
#   make demo   build and run the demo
#   make test   build every configuration and run every test
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=

BUILD := build
SAN_BUILD := build-san
TSAN_BUILD := build-tsan
# Engine-only configurations: 32-bit (no 32-bit cmocka/libsodium: engine
# targets and the conformance suite only) and GC stress (a moving GC on
# every allocation).
M32_BUILD := build-m32
STRESS_BUILD := build-stress
ENGINE_TARGETS := ujs ujs_shell fuzz_engine fuzz_bytecode fuzz_bytecode_mutate

.PHONY: all deps build build-san demo test test-default test-san test-tsan test-m32 test-stress fuzz port-test port-size format format-check clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_C_COMPILER=gcc $(CMAKE_FLAGS)

# Sanitized build (ASan + UBSan) with clang, which also builds the fuzzers.
$(SAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(SAN_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	  -DMBPF_SANITIZE=address,undefined -DMBPF_FUZZ=ON $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-san: deps $(SAN_BUILD)/CMakeCache.txt
	cmake --build $(SAN_BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test-default: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-san: build-san
	cd $(SAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --output-on-failure -j $(JOBS)

$(M32_BUILD)/CMakeCache.txt:
	cmake -S . -B $(M32_BUILD) -DCMAKE_C_COMPILER=gcc "-DCMAKE_C_FLAGS=-m32 -msse2 -mfpmath=sse" $(CMAKE_FLAGS)

# The engine's own tests, and the helpers and runtime with real programs:
# every object they hold across an allocation must survive being moved.
STRESS_TARGETS := test_ujs_heap test_ujs_api test_ujs_bytecode test_helpers \
  test_runtime_programs test_examples fuzz_load_ujs

$(STRESS_BUILD)/CMakeCache.txt:
	cmake -S . -B $(STRESS_BUILD) -DCMAKE_C_COMPILER=gcc -DUJS_GC_STRESS=ON $(CMAKE_FLAGS)

test-m32: deps $(M32_BUILD)/CMakeCache.txt
	cmake --build $(M32_BUILD) -j $(JOBS) --target $(ENGINE_TARGETS)
	cd $(M32_BUILD) && ctest --output-on-failure -j $(JOBS) -R 'ujs_conformance|fuzz_engine|fuzz_bytecode'

test-stress: deps $(STRESS_BUILD)/CMakeCache.txt
	cmake --build $(STRESS_BUILD) -j $(JOBS) --target $(ENGINE_TARGETS) $(STRESS_TARGETS)
	cd $(STRESS_BUILD) && ctest --output-on-failure -j $(JOBS) \
	  -R 'ujs|fuzz_engine|fuzz_bytecode|test_helpers$$|test_runtime_programs|test_examples'

# ThreadSanitizer build: the tests labelled "stress" (several threads on the
# same maps and runtime) only.
$(TSAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(TSAN_BUILD) -DCMAKE_C_COMPILER=clang -DMBPF_SANITIZE=thread $(CMAKE_FLAGS)

test-tsan: deps $(TSAN_BUILD)/CMakeCache.txt
	cmake --build $(TSAN_BUILD) -j $(JOBS)
	cd $(TSAN_BUILD) && ctest -L stress --output-on-failure -j $(JOBS)

test: format-check test-default test-san test-tsan test-m32 test-stress

# The Cortex-M4 port's self-test under QEMU (also run by `make test`).
port-test: deps
	ports/cortex-m/run

port-size: port-test
	ports/cortex-m/size-report

fuzz: build-san
	cmake --build $(SAN_BUILD) --target fuzz

FORMAT_FILES = $(shell git ls-files '*.c' '*.h')
format:
	clang-format -i $(FORMAT_FILES)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES) && echo "format-check: ok"

clean:
	rm -rf $(BUILD) $(SAN_BUILD) $(TSAN_BUILD) build-cm4 $(M32_BUILD) $(STRESS_BUILD)

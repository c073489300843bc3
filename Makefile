# The two commands the README promises: `make demo` and `make test`.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
BIN := $(BUILD_DIR)/ng-annotate

.PHONY: setup configure build test unit-test node-test demo bench dist format clean fuzz-build fuzz-smoke fuzz test-asan \
        build-linux-arm64 test-linux-arm64 test-platforms platform-node-test test-native-platform publish \
        test-portable-watch build-windows test-windows build-darwin dist-all

setup:
	@bash scripts/setup.sh

$(BUILD_DIR)/build.ninja:
	cmake --preset $(PRESET)

configure: $(BUILD_DIR)/build.ninja

build: setup configure
	cmake --build --preset $(PRESET)

unit-test:
	ctest --preset $(PRESET) --output-on-failure

# Node's runner, one file at a time: the suites start real servers and processes.
NODE_TESTS = $(shell find tests/integration tests/e2e tests/reliability -name '*.test.js' 2>/dev/null | sort)
node-test:
	NG_ANNOTATE_BIN=$(abspath $(BIN)) $$(bash scripts/node.sh) --test --test-concurrency=1 --test-timeout=600000 $(NODE_TESTS)

# The store, change-feed and MCP suites that every platform build runs (the
# Windows build under Wine too): they exercise the change wake-up across
# processes, stdio and the browser socket.
PLATFORM_NODE_TESTS := $(addprefix tests/integration/,browser_protocol.test.js cli.test.js \
  mcp-conformance.test.js mcp-http.test.js mcp-multiprocess.test.js mcp-protocol.test.js \
  mcp-tools.test.js watch.test.js manifest.test.js agent-loop.test.js serve_http.test.js) \
  tests/reliability/feed-deleted.test.js

# The unit suite and those suites with the portable watch backends forced
# (src/util/watch_backend.h): what macOS and Windows ship, tested on Linux.
test-portable-watch: build
	NG_ANNOTATE_PORTABLE_WATCH=1 $(MAKE) --no-print-directory unit-test
	NG_ANNOTATE_PORTABLE_WATCH=1 NG_ANNOTATE_BIN=$(abspath $(BIN)) $$(bash scripts/node.sh) --test \
	  --test-concurrency=1 --test-timeout=600000 $(PLATFORM_NODE_TESTS)

# windows-x64: cross-built with Debian's mingw-w64 (CMake preset windows-x64,
# cmake/cross_deps.cmake): the binary and the unit suite. Builds go one at a
# time machine-wide (the lock) and on two cores at most.
WIN_DIR := build/windows-x64
build-windows:
	bash scripts/setup.sh cross
	[ -f $(WIN_DIR)/build.ninja ] || cmake --preset windows-x64
	flock /tmp/nga-build.lock cmake --build --preset windows-x64 -j2 --target ng-annotate unit_tests
	file $(WIN_DIR)/ng-annotate.exe
	file $(WIN_DIR)/ng-annotate.exe | grep -q 'PE32+ executable (console) x86-64'

# darwin-arm64 and darwin-x64: cross-built with zig 0.11 from npm (CMake
# presets darwin-arm64/-x64, cmake/toolchains/darwin.cmake; zig is installed
# into tools/zig here, on demand: about 350 MB). Only the binary: nothing runs
# a Mach-O binary here, so its tests run on real Macs (release.yml).
DARWIN_PRESETS := darwin-arm64 darwin-x64
build-darwin:
	bash scripts/setup.sh darwin
	for p in $(DARWIN_PRESETS); do \
	  [ -f build/$$p/build.ninja ] || cmake --preset $$p || exit 1; \
	  flock /tmp/nga-build.lock cmake --build --preset $$p -j2 --target ng-annotate || exit 1; \
	done
	file build/darwin-arm64/ng-annotate build/darwin-x64/ng-annotate
	file build/darwin-arm64/ng-annotate | grep -q 'Mach-O 64-bit arm64 executable'
	file build/darwin-x64/ng-annotate | grep -q 'Mach-O 64-bit x86_64 executable'

# Under Wine (scripts/test-windows.sh): the unit suite, the store, change-feed
# and MCP suites every platform runs, and the end-to-end run of tests/windows/.
test-windows: build-windows
	bash scripts/test-windows.sh tests/windows/wine-e2e.test.js $(PLATFORM_NODE_TESTS)

test: build
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory node-test
	$(MAKE) --no-print-directory fuzz-smoke

# libFuzzer targets (tests/fuzz/, clang 14, ASan+UBSan), their own build dir.
FUZZ_DIR := build/fuzz
FUZZ_TARGETS := browser_message jsonrpc manifest_parser access_policy proxy_rewrite
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_SECONDS ?= 600
$(FUZZ_DIR)/build.ninja:
	cmake -S tests/fuzz -B $(FUZZ_DIR) -G Ninja -DCMAKE_CXX_COMPILER=clang++-14

fuzz-build: setup $(FUZZ_DIR)/build.ninja
	cmake --build $(FUZZ_DIR)

# New inputs go to build/fuzz/work/<target>; the committed seeds stay as they are.
define run_fuzzers
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/work/$$t; \
	  echo "fuzz: $$t for $(1) s"; \
	  $(FUZZ_DIR)/$${t}_fuzz -max_total_time=$(1) -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/$$t- \
	    $(FUZZ_DIR)/work/$$t tests/fuzz/corpus/$$t > $(FUZZ_DIR)/$$t.log 2>&1 \
	    || { tail -60 $(FUZZ_DIR)/$$t.log; exit 1; }; \
	  grep -E '^Done' $(FUZZ_DIR)/$$t.log; \
	done
endef

fuzz-smoke: fuzz-build
	$(call run_fuzzers,$(FUZZ_SMOKE_SECONDS))

fuzz: fuzz-build
	$(call run_fuzzers,$(FUZZ_SECONDS))

# Unit and integration suites against the ASan+UBSan build (see README for its time).
test-asan:
	$(MAKE) --no-print-directory PRESET=asan build
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	  $(MAKE) --no-print-directory PRESET=asan unit-test node-test

# Linux arm64: Debian's cross g++ (cmake/toolchains/linux-arm64.cmake, libraries
# from Debian's arm64 multiarch packages), tested under qemu-user: the unit
# suite through ctest (the toolchain file names the emulator), then the store,
# change-feed and MCP integration suites against the arm64 binary through
# scripts/ng-annotate-arm64-qemu. Its own ccache-less time is in the README.
ARM64_DIR := build/linux-arm64
$(ARM64_DIR)/build.ninja:
	cmake --preset linux-arm64

build-linux-arm64: setup $(ARM64_DIR)/build.ninja
	flock /tmp/nga-build.lock cmake --build --preset linux-arm64 -j2
	file $(ARM64_DIR)/ng-annotate
	file $(ARM64_DIR)/ng-annotate | grep -q 'ELF 64-bit LSB .*ARM aarch64'

test-linux-arm64: build-linux-arm64
	ctest --preset linux-arm64 --output-on-failure
	$(MAKE) --no-print-directory platform-node-test NG_ANNOTATE_BIN=$(abspath scripts/ng-annotate-arm64-qemu)

# The store, change-feed and MCP integration suites against NG_ANNOTATE_BIN
# (any platform's binary, or a wrapper that runs one).
platform-node-test:
	$$(bash scripts/node.sh) --test --test-concurrency=1 --test-timeout=600000 $(PLATFORM_NODE_TESTS)

# The same suites and the unit suite on this machine's own build: what
# .github/workflows/release.yml runs on real macOS and Linux arm64 machines.
test-native-platform: build
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory platform-node-test NG_ANNOTATE_BIN=$(abspath $(BIN))

# Publishes every tarball in dist/ (release.yml, after make dist) with the
# token in NPM_TOKEN: the platform packages first, so that no published
# @ng-annotate/cli names one that is not there yet.
publish:
	@test -n "$$NPM_TOKEN" || { echo "publish: set NPM_TOKEN to an npm automation token" >&2; exit 1; }
	for t in dist/ng-annotate-cli-[a-z]*.tgz dist/ng-annotate-cli-[0-9]*.tgz dist/ng-annotate-vite-plugin-*.tgz \
	  dist/ng-annotate-angular-*.tgz; do \
	  npm publish "$$t" --access public --//registry.npmjs.org/:_authToken="$$NPM_TOKEN" || exit 1; \
	done

# Every other platform's build and tests that this machine can run: arm64
# under qemu, windows-x64 under Wine, and the portable change-wake backend
# forced on Linux (test-windows and test-portable-watch: the Windows port's).
test-platforms:
	$(MAKE) --no-print-directory test-linux-arm64
	$(MAKE) --no-print-directory test-windows
	$(MAKE) --no-print-directory test-portable-watch

# npm tarballs in dist/, nothing published: @ng-annotate/cli (no binary; an
# optionalDependency on each platform package), one @ng-annotate/cli-<os>-<cpu>
# per binary built here (linux-x64 from the release build, linux-arm64 always,
# the others when their build dir holds one), @ng-annotate/vite-plugin and
# @ng-annotate/angular. The real-world release builds them all (release.yml).
DIST_CROSS = linux-arm64=build/linux-arm64/ng-annotate win32-x64=build/windows-x64/ng-annotate.exe \
  darwin-arm64=build/darwin-arm64/ng-annotate darwin-x64=build/darwin-x64/ng-annotate
dist:
	$(MAKE) --no-print-directory build PRESET=release
	$(MAKE) --no-print-directory build-linux-arm64
	bash scripts/dist.sh $(abspath build/release/ng-annotate) $(abspath dist) \
	  $$(for p in $(DIST_CROSS); do [ ! -f "$${p#*=}" ] || echo "$${p%%=*}=$(CURDIR)/$${p#*=}"; done)

# Every platform package this machine can build: dist plus the Windows build
# (mingw-w64) and the two macOS builds (zig from npm, about 350 MB). Not what
# `make dist` does, since the README's app guides use `make dist` for the
# tarballs of this machine's platform and that must stay minutes, not the
# half hour the three cross builds take on 2 cores from scratch.
dist-all:
	$(MAKE) --no-print-directory build-windows
	$(MAKE) --no-print-directory build-darwin
	$(MAKE) --no-print-directory dist

demo: build
	bash scripts/demo.sh $(abspath $(BIN))

bench: build
	bash bench/run.sh $(abspath $(BIN))

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'bench/*.cpp')

clean:
	rm -rf build

# The two commands the README promises: `make demo` and `make test`.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
BIN := $(BUILD_DIR)/ng-annotate

.PHONY: setup configure build test unit-test node-test demo bench dist format clean

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
NODE_TESTS = $(shell find tests/integration tests/e2e -name '*.test.js' 2>/dev/null | sort)
node-test:
	NG_ANNOTATE_BIN=$(abspath $(BIN)) $$(bash scripts/node.sh) --test --test-concurrency=1 --test-timeout=600000 $(NODE_TESTS)

test: build
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory node-test

# npm tarballs of @ng-annotate/cli (with the release binary) and
# @ng-annotate/vite-plugin and @ng-annotate/angular in dist/; nothing is published.
dist:
	$(MAKE) --no-print-directory build PRESET=release
	bash scripts/dist.sh $(abspath build/release/ng-annotate) $(abspath dist)

demo: build
	bash scripts/demo.sh $(abspath $(BIN))

bench: build
	bash bench/run.sh $(abspath $(BIN))

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'bench/*.cpp')

clean:
	rm -rf build

# The two commands the README promises: `make demo` and `make test`.
PRESET ?= release
BUILD_DIR := build/$(PRESET)
BIN := $(BUILD_DIR)/ng-annotate

.PHONY: setup configure build test unit-test node-test demo bench format clean

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

test: build
	$(MAKE) --no-print-directory unit-test
	$(MAKE) --no-print-directory node-test

demo: build
	bash scripts/demo.sh $(abspath $(BIN))

bench: build
	bash bench/run.sh $(abspath $(BIN))

format:
	clang-format -i $$(git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'bench/*.cpp')

clean:
	rm -rf build

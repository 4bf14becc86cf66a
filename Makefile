# shotweave — the two commands a user needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CLI := $(BUILD)/apps/cli/shotweave

.PHONY: all deps build demo test bench clean
all: build

deps:
	@bash scripts/setup-deps.sh

$(BUILD)/build.ninja: | deps
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	bash examples/make_media.sh
	$(CLI) check examples/harbin/promo.md
	mkdir -p out
	$(CLI) render examples/harbin/promo.md -o out/demo.mp4
	@echo "demo video: out/demo.mp4"

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 900

bench: build
	bash bench/run.sh

clean:
	rm -rf $(BUILD) out

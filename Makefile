# shotweave — the two commands a user needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CLI := $(BUILD)/apps/cli/shotweave

.PHONY: all deps build demo test bench fuzz clean
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

# libFuzzer (clang) on every script reader, FUZZ_SECONDS each, seeded from the regression corpus
# and the examples; findings land in build-fuzz/findings/ (docs/fuzzing.md).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_READERS := markdown article json template srt generator_config
fuzz:
	bash scripts/setup-deps.sh --fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHOTWEAVE_TESTS=OFF \
	  -DSHOTWEAVE_FUZZ=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_expand $(addprefix fuzz_,$(FUZZ_READERS))
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_READERS)

clean:
	rm -rf $(BUILD) out

# shotweave — the two commands a user needs: `make demo` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CLI := $(BUILD)/apps/cli/shotweave

.PHONY: all deps build demo test sanitize bench fuzz clean
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

# AddressSanitizer + UndefinedBehaviorSanitizer build in build-sanitize/: every unit and golden test
# and the end-to-end tests named in SANITIZE_E2E (the CLI they run is instrumented too). Leaks
# are reported except fontconfig's caches (tests/sanitize/lsan.supp).
SAN_BUILD := build-sanitize
SANITIZE_E2E ?= Render.BasicScriptProducesExactVideo|Render.ArticleAndJsonFormsRenderTheirPlannedFrames|Render.VoiceOverSetsShotLengthsAndIsMixedUnderLoudnessTarget|Render.SubtitlesAreReadableAndStartWithTheVoice|Render.TitleFadesInOverThePicture|Render.LogoSitsInItsCornerWithItsOpacity|Render.InterruptStopsPromptlyAndLeavesNothing|BadInput\.|Visuals.DescribedShotsTakeLibraryMediaElseAGeneratedScene|Batch.ThreeRowsThreeVideos|Batch.BadRowsFailAloneWithTheirNumbers|SegmentCache.AnEditReencodesOnlyTheShotsItTouches|Determinism.WorkersCacheHeapAndOlderCpusGiveTheSameBytes
SAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=0 \
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/sanitize/lsan.supp:print_suppressions=0 \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:suppressions=$(CURDIR)/tests/sanitize/ubsan.supp
sanitize: deps
	cmake -S . -B $(SAN_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_FLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
	cmake --build $(SAN_BUILD) -j $(JOBS)
	cd $(SAN_BUILD) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) --timeout 1200 -L 'unit|golden'
	cd $(SAN_BUILD) && $(SAN_ENV) ctest --output-on-failure -j $(JOBS) --timeout 1200 -L e2e -R '$(SANITIZE_E2E)'

bench: build
	bash bench/run.sh

# libFuzzer (clang) on every script reader, FUZZ_SECONDS each, seeded from the regression corpus
# and the examples; findings land in build-fuzz/findings/ (docs/fuzzing.md).
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_READERS := markdown article json template srt generator_config tts_config
fuzz:
	bash scripts/setup-deps.sh --fuzz
	CXX=clang++ cmake -S . -B $(FUZZ_BUILD) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHOTWEAVE_TESTS=OFF \
	  -DSHOTWEAVE_FUZZ=ON -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined"
	cmake --build $(FUZZ_BUILD) -j $(JOBS) --target fuzz_expand $(addprefix fuzz_,$(FUZZ_READERS))
	bash fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_READERS)

clean:
	rm -rf $(BUILD) $(SAN_BUILD) out

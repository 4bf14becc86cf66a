#include <gtest/gtest.h>
#include <cstdio>
#include "audio/tts.h"
using namespace sw::audio;
TEST(Dbg, Events) {
    EspeakEngine e;
    for (const char* t : {"第一句话。第二句话。", "Hello world. This is a test!"}) {
        auto s = e.synthesize({t, strncmp(t, "H", 1) ? "zh" : "en"});
        ASSERT_TRUE(s) << s.error().to_string();
        printf("n=%zu\n", s->samples.size());
        for (auto& w : s->words) printf("W %ld %ld [%s]\n", w.start_sample, w.end_sample, std::string(t).substr(w.text_begin, w.text_end-w.text_begin).c_str());
        for (auto& w : s->sentences) printf("S %ld %ld [%s]\n", w.start_sample, w.end_sample, std::string(t).substr(w.text_begin, w.text_end-w.text_begin).c_str());
    }
}

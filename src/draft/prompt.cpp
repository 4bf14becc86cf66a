// What the model is asked: the speaking rate and the narration budget it implies, the answer's
// JSON schema, the prompts and the request body (docs/draft.md, "What is sent").

#include <algorithm>
#include <cmath>

#include "core/text_util.h"
#include "draft/draft.h"
#include "effects/transition.h"
#include "timeline/plan.h"

namespace sw::draft {

namespace {

// espeak-ng 1.51 at its default 175 wpm, measured on travel paragraphs with their punctuation
// pauses (docs/draft.md; the test SpeakingRatesMatchEspeak holds these within 15 %): Mandarin
// 2.43–2.52 characters a second, English 3.0–3.4 words a second (two paragraphs each). Other
// rates scale these linearly, as espeak-ng's own rate does.
constexpr double kEspeakDefaultWpm = 175;
constexpr double kEspeakMandarinCharsPerS = 2.45;
constexpr double kEspeakEnglishWordsPerS = 3.2;

// Silence around a shot's narration with a voice: 0.2 s before, 0.5 s after (docs/script.md).
constexpr double kVoicePadS = 0.7;

// A short video's shots: about this long each.
constexpr double kShotSeconds = 6.5;

// An article longer than this is cut (with a note in the prompt): a longer one would crowd out
// the answer in a small model's context.
constexpr size_t kMaxArticleBytes = 24'000;

// The library as offered: at most this many files, and this many tags.
constexpr size_t kMaxLibraryFiles = 150;
constexpr size_t kMaxLibraryTags = 120;

std::string fixed1(double v)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

}  // namespace

SpeakingRate speaking_rate(std::string_view voice, int rate_wpm)
{
    SpeakingRate r;
    if (voice.empty()) {
        r.cjk_per_s = timeline::kCjkCharsPerSecond;
        r.words_per_s = timeline::kWordsPerSecond;
        return r;
    }
    const double wpm = rate_wpm > 0 ? std::clamp(rate_wpm, 80, 450) : kEspeakDefaultWpm;
    const double f = wpm / kEspeakDefaultWpm;
    r.cjk_per_s = kEspeakMandarinCharsPerS * f;
    r.words_per_s = kEspeakEnglishWordsPerS * f;
    return r;
}

std::string language_of(std::string_view text)
{
    auto n = timeline::count_reading_units(text);
    return n.cjk_chars >= n.words ? "zh" : "en";
}

Budget budget_for(const Brief& brief)
{
    Budget b;
    b.cjk = brief.language != "en";
    b.shots = std::clamp((int)std::lround(brief.seconds / kShotSeconds), 1, 60);
    b.min_shots = std::max(1, (int)std::floor(b.shots * 0.7));
    b.max_shots = std::max(b.shots, (int)std::ceil(b.shots * 1.3));
    const SpeakingRate rate = speaking_rate(brief.voice, brief.rate_wpm);
    // Without a voice the reading estimate adds timeline::kReadingPadUs per shot.
    b.per_shot_pad_s = brief.voice.empty() ? timeline::kReadingPadUs / 1e6 : kVoicePadS;
    const double speaking_s = std::max(brief.seconds * 0.3, brief.seconds - b.shots * b.per_shot_pad_s);
    b.units = (int)std::lround(speaking_s * (b.cjk ? rate.cjk_per_s : rate.words_per_s));
    return b;
}

Json answer_schema()
{
    Json names = Json::array({"cut"});
    for (const auto* t : effects::all_transitions())
        names.push_back(std::string(t->name()));
    // Every property required and no others: what OpenAI-style strict structured output accepts.
    Json shot = {
        {"type", "object"},
        {"additionalProperties", false},
        {"required", {"name", "narration", "visual", "title", "transition"}},
        {"properties",
         {{"name", {{"type", "string"}, {"description", "A short heading for the shot (2-8 words)."}}},
          {"narration", {{"type", "string"}, {"description", "What the voice says over this shot."}}},
          {"visual",
           {{"type", "object"},
            {"additionalProperties", false},
            {"required", {"description"}},
            {"properties",
             {{"description",
               {{"type", "string"},
                {"description", "What is seen: concrete, filmable, one sentence; the library's words where a file fits."}}}}}}},
          {"title", {{"type", "string"}, {"description", "Large on-screen text over the picture, or \"\" for none."}}},
          {"transition",
           {{"enum", names}, {"description", "Into the next shot: \"cut\" or a transition name such as fade."}}}}},
    };
    return Json{{"type", "object"},
                {"additionalProperties", false},
                {"required", {"title", "shots"}},
                {"properties",
                 {{"title", {{"type", "string"}, {"description", "The video's title."}}},
                  {"shots", {{"type", "array"}, {"minItems", 1}, {"items", shot}}}}}};
}

Json initial_messages(const Brief& brief)
{
    const Budget b = budget_for(brief);
    const SpeakingRate rate = speaking_rate(brief.voice, brief.rate_wpm);
    const std::string unit = b.cjk ? "Chinese characters" : "words";
    const int per_shot = std::max(1, b.units / std::max(1, b.shots));
    const std::string lang = b.cjk ? "Simplified Chinese" : "English";

    std::string sys =
        "You write scripts for short vertical videos (travel, explainers, promotions). A script is a list of shots; "
        "each shot has narration (what the voice-over says) and a visual (what is seen meanwhile).\n"
        "Answer with one JSON object and nothing else: no Markdown, no code fences, no comments. It must match this "
        "JSON schema:\n" +
        answer_schema().dump() +
        "\n\nRules:\n"
        "- Narration in " + lang + ", spoken style, short sentences. No stage directions, emoji, hashtags or "
        "speaker names in the narration.\n"
        "- Visuals: concrete and filmable (place, subject, time of day, weather, motion), one sentence each, "
        "never a camera instruction alone.\n"
        "- Titles: only where they help (the opening, key facts, the ending); \"\" elsewhere. At most 12 characters "
        "or 5 words.\n"
        "- Transitions: mostly \"cut\" or \"fade\"; the last shot's transition is ignored.\n"
        "- Every fact must come from the user's material or be common knowledge; invent no prices or dates.\n";

    std::string user;
    if (!brief.topic.empty())
        user += "Topic: " + brief.topic + "\n";
    user += "Length: " + core::format_number(brief.seconds) + " seconds in all.\n";
    const std::string pace =
        b.cjk ? fixed1(rate.cjk_per_s) + " characters a second" : core::format_number(std::round(rate.words_per_s * 60)) + " words a minute";
    const std::string said = brief.voice.empty()
                                 ? "no voice-over: each shot lasts its reading time, " + pace
                                 : "spoken by the voice " + brief.voice + " at " +
                                       core::format_number(brief.rate_wpm > 0 ? brief.rate_wpm : kEspeakDefaultWpm) + " wpm, about " + pace;
    user += "Narration: about " + std::to_string(b.units) + " " + unit + " in all (" + said + "), in " +
            std::to_string(b.min_shots) + " to " + std::to_string(b.max_shots) + " shots of about " +
            std::to_string(per_shot) + " " + unit + " each. Count them: too much narration makes the video too long.\n";
    user += "Frame: " + brief.size + ".\n";
    if (!brief.library_items.empty()) {
        user += "\nThe user's media library (describe visuals with these words where a file fits; a described shot "
                "shows the best-matching file):\n";
        if (!brief.library_tags.empty()) {
            std::vector<std::string> tags(brief.library_tags.begin(),
                                          brief.library_tags.begin() + std::min(brief.library_tags.size(), kMaxLibraryTags));
            user += "Tags: " + core::join(tags) + "\n";
        }
        user += "Files:\n";
        for (size_t i = 0; i < brief.library_items.size() && i < kMaxLibraryFiles; ++i) {
            const LibraryItem& it = brief.library_items[i];
            user += "- " + it.file + " (" + it.kind + (it.kind == "video" ? " " + fixed1(it.seconds) + " s" : "") + ")";
            if (!it.description.empty())
                user += ": " + it.description;
            if (!it.tags.empty())
                user += " [" + core::join(it.tags) + "]";
            user += "\n";
        }
        if (brief.library_items.size() > kMaxLibraryFiles)
            user += "(and " + std::to_string(brief.library_items.size() - kMaxLibraryFiles) + " more files)\n";
    }
    if (!brief.article.empty()) {
        std::string text = brief.article;
        bool cut = false;
        if (text.size() > kMaxArticleBytes) {
            size_t at = kMaxArticleBytes;
            while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80)
                --at;  // not inside a UTF-8 sequence
            text.resize(at);
            cut = true;
        }
        user += "\nTurn this article" + (brief.article_name.empty() ? std::string() : " (" + brief.article_name + ")") +
                " into the script: keep its facts and its order, condense it to the length above.\n"
                "<article>\n" + text + (cut ? "\n[… the rest of the article is left out]" : "") + "\n</article>\n";
    }
    user += "\nAnswer with the JSON object only.";
    return Json::array({Json{{"role", "system"}, {"content", sys}}, Json{{"role", "user"}, {"content", user}}});
}

Json request_body(const WriterConfig& config, const Json& messages, JsonMode mode)
{
    Json body{{"model", config.model},
              {"messages", messages},
              {"temperature", config.temperature},
              {"max_tokens", config.max_tokens},
              {"stream", false}};
    if (mode == JsonMode::Schema)
        body["response_format"] = {
            {"type", "json_schema"},
            {"json_schema", {{"name", "shotweave_script"}, {"strict", true}, {"schema", answer_schema()}}}};
    else if (mode == JsonMode::Object)
        body["response_format"] = {{"type", "json_object"}};
    return body;
}

}  // namespace sw::draft

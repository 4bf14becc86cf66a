#pragma once
// The script grammar, declared once: every key a script can write, where it may appear, its
// Markdown and JSON spellings, its type and range, a one-line description and an example.
//
// Both readers take their key lists, ranges and names from here, so do the did-you-mean
// suggestions and the messages of `shotweave check`; docs/script.md's key reference is
// generated from it (`grammar_doc --write docs/script.md`) and a unit test holds that file and
// docs/schema/project.schema.json to it. A new key starts as a row of kKeys.
//
// The table is constexpr so that a reader naming a row that does not exist (md_key / json_key
// below) fails to compile instead of failing at run time.

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "timeline/project.h"

namespace sw::script::grammar {

// Where a key is written. Markdown: a front matter line, a shot's key line, or a word inside
// another key's value (the voice, subtitles, logo, music or loudness line, or a media line).
// JSON: a field of the top-level object, of a shot, or of the object a compound key takes.
enum Where : uint16_t {
    None = 0,
    Project = 1 << 0,     // md: front matter `key: value`; json: a top-level field
    Shot = 1 << 1,        // md: `key: value` in a shot; json: a field of a shot
    Visual = 1 << 2,      // md: a word after a media path; json: a field of a shot's "visual"
    Voice = 1 << 3,       // md: a word after the voice's name
    Subtitles = 1 << 4,   // md: a word of `subtitles:`; json: a field of "subtitles"
    Logo = 1 << 5,        // md: a word of `logo:`; json: a field of "logo"
    Music = 1 << 6,       // md: a word of `music:`; json: a field of "music"
    Loudness = 1 << 7,    // md: a word of `loudness:`; json: a field of "loudness"
    Transition = 1 << 8,  // md: a word of `transition:`; json: a field of a transition object
};

// What a value is; docs and the schema test read it.
enum class Type {
    Text,        // any text
    Path,        // a file or folder, relative to the script
    Integer,     // a whole number (range below when bounded)
    Number,      // any number (range below when bounded)
    Boolean,     // md: true/false (or on/off, yes/no); json: true/false
    Choice,      // one of `choices`
    Duration,    // "4s", "500ms", "4秒", or (JSON) a number of seconds
    Color,       // "#rrggbb", "#rgb" or a colour name
    Size,        // "1080x1920" or a preset
    Fps,         // "30", "29.97", "30000/1001"
    Transition,  // "fade 0.5s" or (JSON) an object
    Compound,    // a value with settings of its own (the rows whose `where` is this key's place)
    List,        // JSON: an array (shots), or a string or an array of strings (narration)
};

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();

// A closed range [lo, hi] (hi may be kUnbounded), or (lo, hi] when lo_open; only meaningful
// when `bounded`.
struct Range {
    bool bounded = false;
    double lo = 0, hi = 0;
    bool lo_open = false;
    constexpr bool contains(double v) const { return !bounded || ((lo_open ? v > lo : v >= lo) && v <= hi); }
};
constexpr Range range(double lo, double hi) { return {true, lo, hi, false}; }
constexpr Range above(double lo, double hi) { return {true, lo, hi, true}; }

struct Key {
    // Markdown: the spelling and where it goes. `md_bare`: written as the value alone, without
    // `name=` (a corner word, `box`, a gain `-6dB`); `md` then says what is written, for docs.
    std::string_view md;
    uint16_t md_where = None;
    bool md_bare = false;
    // JSON: the field's name and the object it is a field of.
    std::string_view json;
    uint16_t json_where = None;
    Type type = Type::Text;
    Range range;
    std::string_view unit;                       // of the range ("%", "dB", "s", "words per minute")
    std::span<const std::string_view> choices;   // Choice: the accepted names (also in JSON)
    std::string_view description;                // one line
    std::string_view md_example;                 // the value as written in Markdown
    std::string_view json_example;               // the value as JSON text
    std::string_view zh;                         // Chinese names that mean this key (only ever a hint)
    bool reserved = false;                       // accepted with a warning, read by no feature yet
    bool required = false;
};

// `tts:` — the built-in engine, the speech-server presets (settings in shotweave.toml's [tts]), the
// older name of the OpenAI-compatible one, and a user's command.
inline constexpr std::string_view kTtsEngines[] = {"espeak", "openai", "cosyvoice", "gpt-sovits", "piper", "http", "command"};
inline constexpr std::string_view kAudioChoices[] = {"keep", "mute"};

// The rows in the order suggestions and lists show them.
inline constexpr Key kKeys[] = {
    // ---- the project: front matter / JSON top level ----
    {.json = "$schema", .json_where = Project, .type = Type::Text,
     .description = "ignored; lets editors find the schema", .json_example = "\"docs/schema/project.schema.json\""},
    {.json = "schema_version", .json_where = Project, .type = Type::Integer, .range = range(1, 1),
     .description = "version of the JSON form; must be 1 when given", .json_example = "1"},
    {.md = "title", .md_where = Project, .json = "title", .json_where = Project, .type = Type::Text,
     .description = "the video's title", .md_example = "Winter in Harbin", .json_example = "\"Winter in Harbin\""},
    {.md = "size", .md_where = Project, .json = "size", .json_where = Project, .type = Type::Size,
     .description = "the frame: WxH (both even, 16 to 7680) or a preset 9:16, 16:9, 1:1, 4:5",
     .md_example = "1080x1920", .json_example = "\"9:16\""},
    {.md = "fps", .md_where = Project, .json = "fps", .json_where = Project, .type = Type::Fps,
     .description = "frames per second, 1 to 240 (29.97 means 30000/1001)", .md_example = "30", .json_example = "30"},
    {.md = "transition", .md_where = Project, .json = "transition", .json_where = Project, .type = Type::Transition,
     .description = "the transition between all shots (default cut)", .md_example = "fade 0.5s",
     .json_example = "\"fade 0.5s\""},
    {.md = "background", .md_where = Project, .json = "background", .json_where = Project, .type = Type::Color,
     .description = "the colour behind everything; title cards take their hue from it", .md_example = "black",
     .json_example = "\"#0b1a2a\"", .zh = "背景"},
    {.md = "music", .md_where = Project, .json = "music", .json_where = Project, .type = Type::Compound,
     .description = "background music, looped or trimmed to the video", .md_example = "media/bgm.mp3",
     .json_example = "\"media/bgm.mp3\"", .zh = "音乐"},
    {.md = "voice", .md_where = Project, .json = "voice", .json_where = Project, .type = Type::Compound,
     .description = "the text-to-speech voice of the narration: zh, en, an espeak-ng voice (with a variant: zh+f3) or the engine's voice name", .md_example = "zh+f3",
     .json_example = "\"zh\""},
    {.md = "rate", .md_where = Voice, .json = "voice_rate", .json_where = Project, .type = Type::Integer,
     .range = range(80, 450), .unit = "words per minute", .description = "how fast the voice speaks",
     .md_example = "190", .json_example = "190"},
    {.md = "pitch", .md_where = Voice, .json = "voice_pitch", .json_where = Project, .type = Type::Integer,
     .range = range(0, 100), .description = "the voice's pitch", .md_example = "40", .json_example = "40"},
    {.md = "subtitles", .md_where = Project, .json = "subtitles", .json_where = Project, .type = Type::Compound,
     .description = "burn the narration in as subtitles (default on), and their look", .md_example = "off",
     .json_example = "false", .zh = "字幕"},
    {.md = "tts", .md_where = Project, .json = "tts", .json_where = Project, .type = Type::Choice,
     .choices = kTtsEngines, .description = "the engine that speaks (default espeak; settings in shotweave.toml's [tts]); md: `command <template>`",
     .md_example = "espeak", .json_example = "\"espeak\""},
    {.json = "tts_command", .json_where = Project, .type = Type::Text,
     .description = "the command template of `tts: command`; it writes a WAV file to {output}",
     .json_example = "\"espeak-ng -v {voice} -w {output} {text}\""},
    {.md = "logo", .md_where = Project, .json = "logo", .json_where = Project, .type = Type::Compound,
     .description = "a PNG shown in a corner of every frame", .md_example = "media/logo.png top-right",
     .json_example = "\"media/logo.png\""},
    {.md = "loudness", .md_where = Project, .json = "loudness", .json_where = Project, .type = Type::Compound,
     .description = "the final mix's loudness target and true-peak ceiling", .md_example = "-14 peak=-1",
     .json_example = "-14"},
    {.md = "title-animation", .md_where = Project, .json = "title_animation", .json_where = Project,
     .type = Type::Choice, .choices = timeline::kTitleAnimationNames,
     .description = "how shot titles enter and leave (default slide-up)", .md_example = "pop", .json_example = "\"pop\""},
    {.md = "library", .md_where = Project, .json = "library", .json_where = Project, .type = Type::Path,
     .description = "a folder of photos and videos; described shots take the best match", .md_example = "media/",
     .json_example = "\"media/\""},
    {.md = "seed", .md_where = Project, .json = "seed", .json_where = Project, .type = Type::Integer,
     .range = range(0, kUnbounded),
     .description = "another pick among near-equal library matches, another variation of built-in scenes",
     .md_example = "1", .json_example = "1"},
    {.md = "words", .md_where = Project, .json = "words", .json_where = Project, .type = Type::List,
     .description = "names and terms that subtitle and title lines never split (2–16 characters each; "
                    "md: separated by commas; json: an array), added to words.txt beside the script and the "
                    "shipped list of place names and dishes",
     .md_example = "圣索菲亚大教堂, 鲜花饼", .json_example = "[\"圣索菲亚大教堂\", \"鲜花饼\"]", .zh = "词表 专有词"},
    {.md = "generator", .md_where = Project, .json = "generator", .json_where = Project, .type = Type::Path,
     .description = "a .toml file with a [generator] table: the text-to-video model", .md_example = "models/wan.toml",
     .json_example = "\"models/wan.toml\""},
    {.md = "font", .md_where = Project, .type = Type::Text, .description = "reserved for a coming feature",
     .md_example = "Noto Sans CJK SC", .reserved = true},
    {.json = "shots", .json_where = Project, .type = Type::List, .description = "the shots, in order (at least one)",
     .json_example = "[{\"name\": \"A\", \"narration\": \"Hello.\"}]", .required = true},

    // ---- a shot: `key: value` lines under its `# heading` / a shot object ----
    {.json = "name", .json_where = Shot, .type = Type::Text,
     .description = "the shot's name (md: its `# heading`; default Shot N)", .json_example = "\"Opening\""},
    {.md = "visual", .md_where = Shot, .json = "visual", .json_where = Shot, .type = Type::Compound,
     .description = "what is seen: a media path, words to find or generate, `generate <words>` or `card`",
     .md_example = "a snowy street at night", .json_example = "{\"description\": \"a snowy street at night\"}",
     .zh = "视觉 画面 素材"},
    {.json = "narration", .json_where = Shot, .type = Type::List,
     .description = "what is said (md: the shot's other lines); one string per line",
     .json_example = "[\"The river is frozen.\"]"},
    {.md = "duration", .md_where = Shot, .json = "duration", .json_where = Shot, .type = Type::Duration,
     .description = "how long the shot lasts, its transitions included", .md_example = "4s", .json_example = "4.5",
     .zh = "时长"},
    {.md = "transition", .md_where = Shot, .json = "transition", .json_where = Shot, .type = Type::Transition,
     .description = "the transition from this shot into the next", .md_example = "fade 0.5s",
     .json_example = "{\"name\": \"circleopen\", \"duration\": \"0.8s\"}", .zh = "转场 过渡"},
    {.md = "title", .md_where = Shot, .json = "title", .json_where = Shot, .type = Type::Text,
     .description = "an on-screen title over the picture", .md_example = "Harbin", .json_example = "\"Harbin\"",
     .zh = "标题"},
    {.md = "fit", .md_where = Shot, .type = Type::Choice, .choices = timeline::kFitNames,
     .description = "the media's fit, as the fit word on its media line", .md_example = "contain", .zh = "适配"},
    {.md = "voice", .md_where = Shot, .json = "voice", .json_where = Shot, .type = Type::Text,
     .description = "the TTS voice of this shot only", .md_example = "en", .json_example = "\"en\"", .zh = "配音 声音"},
    {.md = "voice-file", .md_where = Shot, .json = "voice_file", .json_where = Shot, .type = Type::Path,
     .description = "a recorded narration (an audio file) instead of TTS", .md_example = "vo/shot3.wav",
     .json_example = "\"vo/shot3.wav\""},
    {.md = "audio", .md_where = Shot, .json = "audio", .json_where = Shot, .type = Type::Choice,
     .choices = kAudioChoices, .description = "a video shot's own sound: mixed in (keep) or not (mute, default)",
     .md_example = "keep", .json_example = "\"keep\"", .zh = "音频"},
    {.md = "title-animation", .md_where = Shot, .json = "title_animation", .json_where = Shot, .type = Type::Choice,
     .choices = timeline::kTitleAnimationNames, .description = "how this shot's title enters and leaves",
     .md_example = "pop", .json_example = "\"fade\""},
    {.md = "continue", .md_where = Shot, .json = "continue", .json_where = Shot, .type = Type::Boolean,
     .description = "start this shot's generated clip from the previous shot's last frame", .md_example = "true",
     .json_example = "true"},

    // ---- a visual: the media line / a shot's "visual" object ----
    {.md = "<path>", .md_where = Visual, .md_bare = true, .json = "media", .json_where = Visual, .type = Type::Path,
     .description = "an image or a video, relative to the script", .md_example = "media/street.jpg",
     .json_example = "\"media/street.jpg\""},
    {.json = "description", .json_where = Visual, .type = Type::Text,
     .description = "words: the best library match, else a built-in scene (md: `visual: <words>`)",
     .json_example = "\"a snowy street at night\""},
    {.json = "generate", .json_where = Visual, .type = Type::Text,
     .description = "words: never the library — the model's clip, else a built-in scene (md: `visual: generate <words>`)",
     .json_example = "\"sunset over the sea\""},
    {.json = "card", .json_where = Visual, .type = Type::Boolean,
     .description = "true: a title card on an abstract moving background (md: `visual: card`)", .json_example = "true"},
    {.md = "<move>", .md_where = Visual, .md_bare = true, .json = "move", .json_where = Visual, .type = Type::Choice,
     .choices = timeline::kMoveNames, .description = "photos only: a slow zoom or pan", .md_example = "zoom-in",
     .json_example = "\"zoom-in\""},
    {.md = "<fit>", .md_where = Visual, .md_bare = true, .json = "fit", .json_where = Visual, .type = Type::Choice,
     .choices = timeline::kFitNames, .description = "how the picture fills the frame (default cover)",
     .md_example = "contain", .json_example = "\"contain\""},
    {.md = "from", .md_where = Visual, .json = "from", .json_where = Visual, .type = Type::Duration,
     .range = range(0, 3600), .unit = "s", .description = "videos only: where the part used starts",
     .md_example = "3s", .json_example = "3"},
    {.md = "to", .md_where = Visual, .json = "to", .json_where = Visual, .type = Type::Duration,
     .range = range(0, 3600), .unit = "s", .description = "videos only: where the part used ends", .md_example = "8s",
     .json_example = "\"8s\""},

    // ---- the settings of `subtitles:` / "subtitles" ----
    {.md = "on|off", .md_where = Subtitles, .md_bare = true, .json = "burn", .json_where = Subtitles,
     .type = Type::Boolean, .description = "burn the subtitles into the picture", .md_example = "on",
     .json_example = "true"},
    {.md = "position", .md_where = Subtitles, .json = "position", .json_where = Subtitles, .type = Type::Choice,
     .range = range(5, 95), .unit = "%", .choices = timeline::kSubtitlePositionNames,
     .description = "where the block sits, or its centre as NN% of the height", .md_example = "top",
     .json_example = "\"30%\""},
    {.md = "size", .md_where = Subtitles, .json = "size_percent", .json_where = Subtitles, .type = Type::Number,
     .range = range(1.5, 10), .unit = "%", .description = "text size as a share of the height (default 3.6)",
     .md_example = "4%", .json_example = "4"},
    {.md = "box", .md_where = Subtitles, .md_bare = true, .json = "box", .json_where = Subtitles,
     .type = Type::Boolean, .description = "a dark rounded box behind the text", .md_example = "box",
     .json_example = "true"},
    {.md = "color", .md_where = Subtitles, .json = "color", .json_where = Subtitles, .type = Type::Color,
     .description = "the text's colour (default white)", .md_example = "#ffd400", .json_example = "\"#ffd400\""},
    {.md = "outline", .md_where = Subtitles, .json = "outline_px", .json_where = Subtitles, .type = Type::Number,
     .range = range(0, 40), .unit = "px", .description = "outline width in output pixels (md: or off)",
     .md_example = "3px", .json_example = "3"},
    {.md = "outline-color", .md_where = Subtitles, .json = "outline_color", .json_where = Subtitles,
     .type = Type::Color, .description = "the outline's colour (default black)", .md_example = "black",
     .json_example = "\"black\""},
    {.md = "shadow", .md_where = Subtitles, .json = "shadow", .json_where = Subtitles, .type = Type::Number,
     .range = range(0, 1), .description = "drop-shadow opacity (default 0.5; md: or off)", .md_example = "0.5",
     .json_example = "0.5"},
    {.md = "font", .md_where = Subtitles, .json = "font", .json_where = Subtitles, .type = Type::Text,
     .description = "a font family (default Noto Sans CJK SC)", .md_example = "\"Noto Serif CJK SC\"",
     .json_example = "\"Noto Serif CJK SC\""},
    {.md = "lines", .md_where = Subtitles, .json = "max_lines", .json_where = Subtitles, .type = Type::Integer,
     .range = range(1, 4), .description = "lines per cue; a longer sentence becomes several cues", .md_example = "2",
     .json_example = "2"},

    // ---- the settings of `logo:` / "logo" ----
    {.md = "<path>", .md_where = Logo, .md_bare = true, .json = "media", .json_where = Logo, .type = Type::Path,
     .description = "the logo, a PNG (it keeps transparency)", .md_example = "media/logo.png",
     .json_example = "\"media/logo.png\"", .required = true},
    {.md = "<corner>", .md_where = Logo, .md_bare = true, .json = "corner", .json_where = Logo, .type = Type::Choice,
     .choices = timeline::kLogoCornerNames, .description = "the corner it sits in (default top-right)",
     .md_example = "bottom-left", .json_example = "\"bottom-left\""},
    {.md = "opacity", .md_where = Logo, .json = "opacity", .json_where = Logo, .type = Type::Number,
     .range = above(0, 1), .description = "how opaque it is (default 0.85)", .md_example = "0.8",
     .json_example = "0.85"},
    {.md = "size", .md_where = Logo, .json = "size_percent", .json_where = Logo, .type = Type::Number,
     .range = range(2, 60), .unit = "%", .description = "its width as a share of the frame's (default 18)",
     .md_example = "18%", .json_example = "18"},

    // ---- the settings of `music:` / "music" ----
    {.md = "<path>", .md_where = Music, .md_bare = true, .json = "media", .json_where = Music, .type = Type::Path,
     .description = "an audio file (or a video's sound), quoted in md if it has spaces", .md_example = "media/bgm.mp3",
     .json_example = "\"media/bgm.mp3\"", .required = true},
    {.md = "<gain>dB", .md_where = Music, .md_bare = true, .json = "volume_db", .json_where = Music,
     .type = Type::Number, .range = range(-60, 20), .unit = "dB",
     .description = "gain before the mix is normalised; with a voice it shifts bed and duck too",
     .md_example = "-6dB", .json_example = "-6"},
    {.md = "bed", .md_where = Music, .json = "bed_db", .json_where = Music, .type = Type::Number,
     .range = range(-40, 0), .unit = "dB",
     .description = "with a voice: the music's level in the pauses, relative to the speech's loudness (default -8)",
     .md_example = "-8dB", .json_example = "-8"},
    {.md = "duck", .md_where = Music, .json = "duck_db", .json_where = Music, .type = Type::Number,
     .range = range(-40, 0), .unit = "dB",
     .description = "with a voice: its level while words are spoken, relative to the speech (default -17; "
                    "at or above bed: no dip)",
     .md_example = "-18dB", .json_example = "-18"},
    {.md = "fade-in", .md_where = Music, .json = "fade_in", .json_where = Music, .type = Type::Duration,
     .range = range(0, 30), .unit = "s", .description = "fade-in length (default 1 s)", .md_example = "1s",
     .json_example = "\"1s\""},
    {.md = "fade-out", .md_where = Music, .json = "fade_out", .json_where = Music, .type = Type::Duration,
     .range = range(0, 30), .unit = "s", .description = "fade-out length, ending with the video (default 2 s)",
     .md_example = "2s", .json_example = "2"},

    // ---- the settings of `loudness:` / "loudness" ----
    {.md = "<lufs>", .md_where = Loudness, .md_bare = true, .json = "lufs", .json_where = Loudness,
     .type = Type::Number, .range = range(-40, -5), .unit = "LUFS",
     .description = "integrated loudness of the final mix (default -14; JSON: also the bare number)",
     .md_example = "-14", .json_example = "-14"},
    {.md = "peak", .md_where = Loudness, .json = "peak_dbtp", .json_where = Loudness, .type = Type::Number,
     .range = range(-9, 0), .unit = "dBTP", .description = "its true-peak ceiling (default -1)", .md_example = "-1",
     .json_example = "-1"},

    // ---- a transition object / the words of a transition ----
    {.md = "<name>", .md_where = Transition, .md_bare = true, .json = "name", .json_where = Transition,
     .type = Type::Text, .description = "an effect of `shotweave list transitions`, or cut", .md_example = "circleopen",
     .json_example = "\"circleopen\"", .required = true},
    {.md = "<duration>", .md_where = Transition, .md_bare = true, .json = "duration", .json_where = Transition,
     .type = Type::Duration, .description = "its length (default the project's, else 0.5 s)", .md_example = "0.8s",
     .json_example = "0.8"},
};

// The row written `name` in Markdown at `where` (consteval: a misspelt name does not compile).
consteval const Key& md_key(uint16_t where, std::string_view name)
{
    for (const Key& k : kKeys)
        if ((k.md_where & where) && k.md == name)
            return k;
    throw "no such Markdown key in grammar::kKeys";
}
consteval const Key& json_key(uint16_t where, std::string_view name)
{
    for (const Key& k : kKeys)
        if ((k.json_where & where) && k.json == name)
            return k;
    throw "no such JSON field in grammar::kKeys";
}

// Lookups at run time: the row for a key read from a script, or nullptr.
const Key* find_md(uint16_t where, std::string_view name);
const Key* find_json(uint16_t where, std::string_view name);

// The Markdown keys written `key: value` at `where` (Project or Shot), reserved ones apart, in
// table order: the candidates for "did you mean" and "known keys".
std::vector<std::string> md_names(uint16_t where);
std::vector<std::string> md_reserved_names(uint16_t where);
// The JSON fields of the object at `where`, in table order.
std::vector<std::string> json_names(uint16_t where);
// The names of a Choice row.
std::vector<std::string> choice_names(const Key& k);

// A number as messages and docs write it: "80", "1.5", "-40".
std::string number_text(double v);
// "80-450" (a range as a Markdown hint writes it) and "from 80 to 450" (as a sentence does).
std::string range_text(const Key& k);
std::string range_sentence(const Key& k);
// "a, b or c": the choices of `k` as a hint lists them.
std::string choices_text(const Key& k, std::string_view quote = "");
// The settings a Markdown value at `where` (Voice, Subtitles, Logo, Music) may carry after its
// first word, as a hint lists them: "rate=190 (80-450 words per minute), pitch=40 (0-100)".
std::string md_settings_hint(uint16_t where);

// The key reference of docs/script.md: a Markdown section (between the markers below), generated
// from kKeys by the `grammar_doc` tool and checked against the committed file by a unit test.
inline constexpr std::string_view kReferenceBegin = "<!-- key reference: generated by grammar_doc from src/script/grammar.h; do not edit -->";
inline constexpr std::string_view kReferenceEnd = "<!-- end of key reference -->";
std::string key_reference_markdown();

}  // namespace sw::script::grammar

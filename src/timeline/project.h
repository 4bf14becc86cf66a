#pragma once
// The project model: what a script says, before any planning. Produced by the script readers
// (Markdown-like, plain text, JSON), consumed by planning and rendering.
// Times are integer microseconds here (as written); planning converts them to frames.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frame.h"
#include "core/rational.h"

namespace sw::timeline {

using core::SourceLoc;

enum class VisualKind {
    None,         // nothing given: a library asset matching the narration, else a built-in scene
    Media,        // a user's image or video file (written in the script, or picked from the library)
    Description,  // `visual: <words>`: the best library match, else the model's clip or a built-in scene
    Generate,     // `visual: generate <words>`: never the library — the model's clip, else a built-in scene
    Card,         // `visual: card`: an abstract motion background for the shot's title (intros, outros)
};

enum class MediaType { Image, Video };

// Each enum written in a script has its names beside it, indexed by the enum's value: to_string,
// the script readers and the grammar table (script/grammar.h) all take them from here, so a
// name is spelt in one place.
enum class Move { None, ZoomIn, ZoomOut, PanLeft, PanRight, PanUp, PanDown };
inline constexpr std::string_view kMoveNames[] = {"none", "zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down"};

enum class Fit {
    Cover,    // fill the frame, crop the overflow (default)
    Contain,  // whole picture visible; bars filled with a blurred, darkened copy
    Stretch,  // fill the frame, distorting the aspect ratio
};
inline constexpr std::string_view kFitNames[] = {"cover", "contain", "stretch"};

// How a shot's `title:` enters and leaves: fading while rising a little (default), fading in
// place, popping up from smaller with a slight overshoot, or simply shown.
enum class TitleAnimation { SlideUp, Fade, Pop, None };
inline constexpr std::string_view kTitleAnimationNames[] = {"slide-up", "fade", "pop", "none"};

// The corner of the frame a logo sits in.
enum class LogoCorner { TopLeft, TopRight, BottomLeft, BottomRight };
inline constexpr std::string_view kLogoCornerNames[] = {"top-left", "top-right", "bottom-left", "bottom-right"};
inline bool is_right(LogoCorner c) { return c == LogoCorner::TopRight || c == LogoCorner::BottomRight; }
inline bool is_bottom(LogoCorner c) { return c == LogoCorner::BottomLeft || c == LogoCorner::BottomRight; }

// Where burned-in subtitles sit: Percent places the block's centre at SubtitleLook::percent of
// the height (written "30%", so it has no name of its own).
enum class SubtitlePosition { Bottom, Center, Top, Percent };
inline constexpr std::string_view kSubtitlePositionNames[] = {"bottom", "center", "top"};

const char* to_string(Move m);
const char* to_string(TitleAnimation a);
const char* to_string(Fit f);
const char* to_string(LogoCorner c);
const char* to_string(SubtitlePosition p);  // Percent: "percent"
const char* to_string(VisualKind k);
const char* to_string(MediaType t);

struct Visual {
    VisualKind kind = VisualKind::None;
    // Media
    std::string path_as_written;       // as in the script
    std::filesystem::path path;        // resolved against the script's folder
    MediaType media_type = MediaType::Image;
    Move move = Move::None;
    Fit fit = Fit::Cover;
    std::optional<int64_t> trim_from_us;  // video only: `from 3s`
    std::optional<int64_t> trim_to_us;    // video only: `to 8s`
    // Description
    std::string description;
    SourceLoc loc;  // where the visual line is
};

// How a shot's visual was chosen when the script did not name a file (for `check`): a library
// asset (with its score, the words that matched and the runner-up), a built-in scene (with the
// words the scene generator understood and what it draws), or a model's clip.
struct VisualChoice {
    // Scene: drawn by the built-in scene generator. Model: a clip (or a chain of clips) from the
    // configured text-to-video model.
    enum class How { Written, Library, Scene, Card, Model } how = How::Written;
    std::string query;                    // the words searched / read
    std::string asset;                    // library: path relative to the library folder
    double score = 0;
    std::vector<std::string> matched;     // library: matched query terms
    std::string runner_up;                // library: the next-best asset ("" if none)
    double runner_up_score = 0;
    // library: the pick scored above the minimum but only part of the shot's words matched.
    // scene/model: the best library asset (asset, score, matched) scored below `min_score`.
    bool weak = false;
    double min_score = 0;                 // the minimum a library asset needed
    std::vector<std::string> understood;  // scene: words the scene generator recognised
    std::vector<std::string> elements;    // scene: what it draws
    uint64_t seed = 0;                    // scene: its seed (project seed + shot index)
    std::string generator;                // model: the generator's name
    int clips = 0;                        // model: clips generated (chained when > 1)
    int cached_clips = 0;                 // model: of those, served from the clip cache
    std::string continuity;               // model: the continuity report of a chain
    std::string note;                     // why the visual is what it is (e.g. a fallback's cause)
};

struct TransitionSpec {
    std::string name = "cut";  // an effects registry name ("cut" = none)
    int64_t duration_us = 0;   // 0 for cut
    SourceLoc loc;
};

struct Shot {
    std::string name;  // the heading text (or "Shot N" for plain articles)
    SourceLoc loc;     // the heading
    Visual visual;
    VisualChoice choice;                  // filled when visuals are resolved (library / generator)
    std::vector<std::string> narration;   // one entry per narration line
    // The narration as one text, lines joined by '\n': what is spoken, and what speech timings'
    // byte ranges refer to.
    std::string narration_text() const;
    std::vector<SourceLoc> narration_locs;
    std::optional<int64_t> duration_us;   // `duration: 4s`
    SourceLoc duration_loc;
    std::optional<TransitionSpec> transition_out;  // into the next shot; else the project default
    std::string title;                    // `title: ...`: drawn over the picture
    SourceLoc title_loc;
    std::optional<TitleAnimation> title_animation;  // `title-animation: pop`; else the project's
    SourceLoc title_animation_loc;
    std::string voice;                    // `voice: en` for this shot only (else the project's)
    SourceLoc voice_loc;
    bool keep_audio = false;              // `audio: keep`: a video shot's own sound is mixed in
    SourceLoc audio_loc;
    std::string voice_file_as_written;    // `voice-file: vo/shot3.wav`: a recorded narration
    std::filesystem::path voice_file;
    SourceLoc voice_file_loc;
    bool continue_previous = false;       // `continue: true`: a generated clip starts from the previous shot's last frame
    SourceLoc continue_loc;
};

// Background music: looped or trimmed to the video, faded in and out, and (with the rest of the
// mix) normalised to the target loudness.
struct MusicSpec {
    std::string path_as_written;
    std::filesystem::path path;
    // With a voice-over the music is placed against the speech's loudness: `bed` is its level in
    // the pauses and `duck` its level while words are spoken, both in dB relative to the speech
    // (a duck not under the bed means no ducking). Without a voice it plays at its own level.
    double volume_db = 0;  // `-6dB`: shifts the music (bed and duck too) before the mix is normalised
    double bed_db = -8;    // `bed=-8dB`
    double duck_db = -17;  // `duck=-17dB`
    int64_t fade_in_us = 1'000'000;   // `fade-in=1s` (0 = starts at full level)
    int64_t fade_out_us = 2'000'000;  // `fade-out=2s`, ending with the video
    SourceLoc loc;
};

// A logo in a corner of every frame.
struct LogoSpec {
    std::string path_as_written;
    std::filesystem::path path;
    LogoCorner corner = LogoCorner::TopRight;
    double opacity = 0.85;
    double width_frac = 0.18;  // logo width as a fraction of the frame width
    SourceLoc loc;
};

struct Project {
    std::filesystem::path script_path;  // the file read (for messages and relative paths)
    std::filesystem::path base_dir;     // folder relative media paths resolve against
    std::string title;
    int width = 1080;
    int height = 1920;
    core::Rational fps{30, 1};
    TransitionSpec default_transition;  // front matter `transition:`; "cut" if absent
    core::Rgb background{0, 0, 0};      // colour behind everything (cards, contain bars fallback)
    SourceLoc size_loc, fps_loc;
    std::optional<MusicSpec> music;
    std::optional<LogoSpec> logo;
    double loudness_lufs = -14;   // integrated loudness of the final mix (`loudness: -14`)
    double true_peak_dbtp = -1;   // its true-peak ceiling (`loudness: -14 peak=-1`)
    SourceLoc loudness_loc;
    // Voice-over: narration spoken by this TTS voice ("zh", "en" or an espeak-ng voice name);
    // empty = no voice-over (shot lengths then come from a reading-speed estimate).
    std::string voice;
    int voice_rate = 0;   // words per minute, 0 = the engine's default (`voice: en rate=190`)
    int voice_pitch = 0;  // 0-100, 0 = default (`pitch=40`)
    SourceLoc voice_loc;
    // Which TTS engine speaks: "espeak" (built in), "command" (tts_command, a template with
    // {text} {text_file} {voice} {rate} {output}) or "http" (an OpenAI-compatible speech endpoint
    // from SHOTWEAVE_TTS_URL / SHOTWEAVE_TTS_KEY / SHOTWEAVE_TTS_MODEL).
    std::string tts = "espeak";
    std::string tts_command;
    SourceLoc tts_loc;
    bool burn_subtitles = true;  // `subtitles: off` keeps the picture clean (side files still possible)
    // Subtitle look (`subtitles: on position=top size=4% box color=#ffd400 font="Noto Serif CJK SC"`).
    struct SubtitleLook {
        SubtitlePosition position = SubtitlePosition::Bottom;
        double percent = 0.5;             // Percent: centre of the text block, fraction of the height
        double size_frac = 0;             // text size as a fraction of the height; 0 = default (3.6 %)
        bool box = false;
        core::Rgb color{255, 255, 255};
        std::string font;                 // empty = Noto Sans CJK SC
        double outline_px = -1;           // outline width in output pixels; < 0 = 8 % of the text size
        core::Rgb outline_color{0, 0, 0};
        double shadow = -1;               // drop-shadow opacity 0..1; < 0 = default (0.5)
        int max_lines = 2;                // lines per cue (1-4); longer sentences become several cues
    } subtitle_look;
    // `library: media/` — a folder of the user's photos and footage; described shots get the best
    // match (docs/library.md). Empty = none. `seed:` asks for an alternative pick among near-equal
    // matches and varies built-in scenes.
    std::string library_as_written;
    std::filesystem::path library_dir;
    SourceLoc library_loc;
    uint64_t seed = 0;
    SourceLoc seed_loc;
    // `generator: models/wan.toml` — an external text-to-video model (docs/generators.md) for
    // `visual: generate` shots and described shots the library cannot serve. Empty = the
    // `shotweave.toml` beside the script if it has a [generator] table, else none.
    std::string generator_as_written;
    std::filesystem::path generator_file;
    SourceLoc generator_loc;
    // `words: 圣索菲亚大教堂, 鲜花饼` (and words.txt beside the script): names and terms that line
    // breaks keep whole, with the shipped list and the script's own names (lang::Lexicon).
    std::vector<std::string> words;
    SourceLoc words_loc;
    std::filesystem::path words_file;  // words.txt beside the script, when there is one
    std::vector<std::string> library_names;  // the library's tags and file names, once it is read
    TitleAnimation title_animation = TitleAnimation::SlideUp;  // `title-animation:` in the front matter
    SourceLoc title_animation_loc;
    std::vector<Shot> shots;
};

}  // namespace sw::timeline

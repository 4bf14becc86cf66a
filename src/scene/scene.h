#pragma once
// The built-in procedural scene generator: the visual a shot gets when its `visual:` text names
// no user media and no model is available. It reads the description's words (Chinese and
// English, see docs/scene-generator.md), decides what to draw (sky, landforms, weather,
// particles, camera move) and renders an animated scene offline.
//
// Speed is the design constraint: a 1080x1920 frame must cost less than encoding it. So every
// layer (sky, mountains, water, city, fog...) is drawn once, at creation, with Cairo and converted
// to YUV 4:2:0 + alpha a little larger than the frame; each frame only samples the layers at
// their parallax camera position (bilinear, SIMD) and blends small pre-rendered particle sprites
// at positions that are pure functions of the frame index.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frame.h"
#include "core/rational.h"

namespace sw::scene {

enum class TimeOfDay { Dawn, Day, Sunset, Night };
enum class CameraMotion { Drift, PushIn, PullOut, Aerial, Still };
enum class Season { None, Spring, Summer, Autumn, Winter };

// What the generator understood from a description. Filled by parse_scene; a caller may also
// set fields directly (e.g. force a time of day).
struct SceneSpec {
    uint64_t seed = 0;

    // Sky.
    TimeOfDay time = TimeOfDay::Day;
    bool time_stated = false;  // the words named a time of day (else implied by other words)
    bool stars = false, moon = false, sun = false, clouds = false, aurora = false;
    bool overcast = false;

    // Landforms.
    bool mountains = false, hills = false, sea = false, lake = false, river = false, forest = false;
    bool blossom_trees = false;  // forest of flowering (cherry) trees
    bool snowfield = false, ice = false, castle = false, city = false, grass = false, beach = false;

    // Weather and particles.
    bool snow = false, rain = false, fog = false, petals = false, fireworks = false, lanterns = false;
    bool bokeh = false, neon = false, twinkle = false;

    Season season = Season::None;

    // Camera: the move and a speed factor (1 = normal, 0.5 = slow).
    CameraMotion camera = CameraMotion::Drift;
    double speed = 1.0;

    // Palette hue in degrees, from the description's words (hash → hue) and the seed: tints the
    // abstract background, bokeh, fireworks and lights.
    double hue = 210;
    // No scene words at all: drawn as an abstract background in the palette.
    bool abstract = false;

    std::vector<std::string> understood;  // words recognised, as written, in order of appearance
    std::vector<std::string> elements;    // what will be drawn, e.g. "sky:night", "moon", "lake", "snow"

    bool has(std::string_view element) const;
};

// Reads a description. Never fails: unknown words only shape the palette.
SceneSpec parse_scene(std::string_view description, uint64_t seed);

// One entry of the vocabulary, for documentation and `shotweave check`.
struct SceneWord {
    const char* word;
    const char* meaning;  // what it draws or changes
};
const std::vector<SceneWord>& scene_vocabulary();

// Landscape: the scene the words describe. Card: an abstract motion background for title cards
// (intros/outros), palette from the text/seed.
enum class SceneStyle { Landscape, Card };

class SceneGenerator {
public:
    // Renders the layers and sprites (about 0.1–0.5 s at 1080x1920). width and height even, > 0;
    // frame_count > 0. Errors: bad sizes (Internal), Cairo failure (Internal).
    static core::Result<std::unique_ptr<SceneGenerator>> create(const SceneSpec& spec, SceneStyle style, int width,
                                                                int height, int64_t frame_count, core::Rational fps);
    ~SceneGenerator();
    SceneGenerator(const SceneGenerator&) = delete;
    SceneGenerator& operator=(const SceneGenerator&) = delete;

    // Frame i (0-based) of the shot, i in [0, frame_count). Deterministic: the same spec, size and
    // i give identical pixels, in any call order (random access works). Frames come from an
    // internal pool: keep them as long as needed, buffers are recycled once released.
    core::Result<core::Frame> frame(int64_t i);

    int width() const;
    int height() const;
    int64_t frame_count() const;

    struct Impl;

private:
    explicit SceneGenerator(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

// Internal to src/scene (declared here so the SIMD kernel can be unit-tested
// against its scalar definition); not for callers. Sampling uses core/bilinear.h.
namespace kernels {
// Premultiplied "over": out = v + (out − offset)·(1 − a), clamped to [16, hi].
void blend_over(uint8_t* out, const uint8_t* v, const uint8_t* a, int n, int offset, int hi);
}  // namespace kernels

}  // namespace sw::scene

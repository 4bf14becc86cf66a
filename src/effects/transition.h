#pragma once
// Transitions: every transition of FFmpeg 5.1's `xfade` filter, by the same names and
// looking the same at the same progress, plus `cut`. Each effect declares its parameters
// once; that table drives script validation, `shotweave list transitions` and the JSON schema.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "core/frame.h"

namespace sw::effects {

enum class ParamType { Float, Int, Color, Enum, Duration };

struct ParamSpec {
    std::string name;
    ParamType type = ParamType::Float;
    std::string default_value;
    double min = 0, max = 0;           // for numeric types
    std::vector<std::string> choices;  // for Enum
    std::string help;
};

using ParamValues = std::map<std::string, std::string>;

class Transition {
public:
    virtual ~Transition() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view description() const = 0;  // one line
    // Parameters besides the duration every transition has.
    virtual std::span<const ParamSpec> params() const { return {}; }

    // Writes the blend of `a` (outgoing) and `b` (incoming) into `out` at xfade progress
    // `progress` (1 = all a, 0 = all b; xfade's convention). All three frames have the same size.
    // `out` may alias neither a nor b. `params` has been validated. Rows [y0, y1) of the luma
    // plane (and the matching chroma rows) only, so callers can split work across threads;
    // y0 and y1 are even.
    virtual void render(const core::Frame& a, const core::Frame& b, core::Frame& out, float progress,
                        const ParamValues& params, int y0, int y1) const = 0;
};

// All registered transitions (excluding "cut"), in catalogue order.
std::span<const Transition* const> all_transitions();
// nullptr if unknown. "cut" is not a Transition object.
const Transition* find_transition(std::string_view name);
// Every valid name including "cut", for suggestions and the schema.
std::vector<std::string> transition_names();
// Checks parameter names and values against the effect's table; error message names the
// offending parameter and the allowed range/choices.
core::Status validate_params(const Transition& t, const ParamValues& params);

// Convenience: render all rows.
inline void render_full(const Transition& t, const core::Frame& a, const core::Frame& b, core::Frame& out,
                        float progress, const ParamValues& params = {})
{
    t.render(a, b, out, progress, params, 0, out.height());
}

}  // namespace sw::effects

// The registry: the builtin list (builtin_list.h) turned into lookups, names and parameter
// validation. Transitions live in their family files; nothing here knows any one of them.

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "core/text_util.h"
#include "effects/transition.h"

namespace sw::effects {

#define SW_TRANSITION(n) const Transition& transition_##n();
#include "effects/builtin_list.h"
#undef SW_TRANSITION

namespace {

const std::vector<const Transition*>& builtins()
{
    // Built on first use (function-local static: thread-safe, and no static-init-order issue
    // with the transition objects defined in other translation units).
    static const std::vector<const Transition*> list = {
#define SW_TRANSITION(n) &transition_##n(),
#include "effects/builtin_list.h"
#undef SW_TRANSITION
    };
    return list;
}

bool parse_double(std::string_view text, double& out)
{
    std::string s(core::trim(text));
    if (s.empty())
        return false;
    char* end = nullptr;
    out = std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && std::isfinite(out);
}

core::Status param_error(const Transition& t, const ParamSpec& spec, std::string_view value, std::string what)
{
    return core::make_error(core::ErrorCategory::Script,
                            "transition '" + std::string(t.name()) + "': parameter '" + spec.name + "' = '" +
                                std::string(value) + "' " + what);
}

core::Status check_value(const Transition& t, const ParamSpec& spec, std::string_view value)
{
    const bool ranged = spec.max > spec.min;
    const std::string range = "between " + core::format_number(spec.min) + " and " + core::format_number(spec.max);
    switch (spec.type) {
    case ParamType::Float:
    case ParamType::Duration: {
        std::string v(core::trim(value));
        double scale = 1;
        // Durations may carry a unit, as the script writes them elsewhere ("0.5s", "500ms").
        if (spec.type == ParamType::Duration) {
            if (v.size() > 2 && v.ends_with("ms"))
                v.resize(v.size() - 2), scale = 0.001;
            else if (v.size() > 1 && v.ends_with("s"))
                v.resize(v.size() - 1);
        }
        double d = 0;
        if (!parse_double(v, d))
            return param_error(t, spec, value,
                               spec.type == ParamType::Duration ? "is not a duration — write e.g. 0.5s"
                                                                : "is not a number");
        d *= scale;
        if (ranged && (d < spec.min || d > spec.max))
            return param_error(t, spec, value, "is out of range — use a value " + range);
        return {};
    }
    case ParamType::Int: {
        std::string v(core::trim(value));
        long long i = 0;
        auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), i);
        if (v.empty() || ec != std::errc{} || ptr != v.data() + v.size())
            return param_error(t, spec, value, "is not a whole number");
        if (ranged && (i < spec.min || i > spec.max))
            return param_error(t, spec, value, "is out of range — use a whole number " + range);
        return {};
    }
    case ParamType::Color: {
        std::string v(core::trim(value));
        bool ok = v.size() == 7 && v[0] == '#';
        for (size_t k = 1; ok && k < v.size(); ++k)
            ok = std::isxdigit((unsigned char)v[k]);
        if (!ok)
            return param_error(t, spec, value, "is not a colour — write it as #rrggbb");
        return {};
    }
    case ParamType::Enum: {
        std::string v(core::trim(value));
        for (auto& c : spec.choices)
            if (c == v)
                return {};
        std::string msg = "is not one of: " + core::join(spec.choices);
        if (auto s = core::did_you_mean(v, spec.choices); !s.empty())
            msg += " — did you mean '" + s + "'?";
        return param_error(t, spec, value, msg);
    }
    }
    return {};
}

}  // namespace

std::span<const Transition* const> all_transitions()
{
    auto& l = builtins();
    return {l.data(), l.size()};
}

const Transition* find_transition(std::string_view name)
{
    for (const Transition* t : builtins())
        if (t->name() == name)
            return t;
    return nullptr;
}

std::vector<std::string> transition_names()
{
    std::vector<std::string> names;
    names.reserve(builtins().size() + 1);
    names.emplace_back("cut");
    for (const Transition* t : builtins())
        names.emplace_back(t->name());
    return names;
}

core::Status validate_params(const Transition& t, const ParamValues& params)
{
    const auto specs = t.params();
    for (const auto& [key, value] : params) {
        const ParamSpec* spec = nullptr;
        for (const auto& s : specs)
            if (s.name == key)
                spec = &s;
        if (!spec) {
            std::vector<std::string> known;
            for (const auto& s : specs)
                known.push_back(s.name);
            std::string msg = "transition '" + std::string(t.name()) + "' has no parameter '" + key + "'";
            if (auto s = core::did_you_mean(key, known); !s.empty())
                msg += " — did you mean '" + s + "'?";
            else if (known.empty())
                msg += " — it takes only a duration";
            else
                msg += " — its parameters are: " + core::join(known);
            return core::make_error(core::ErrorCategory::Script, std::move(msg));
        }
        SW_TRY_STATUS(check_value(t, *spec, value));
    }
    return {};
}

}  // namespace sw::effects

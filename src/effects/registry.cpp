// The registry: the builtin list (builtin_list.h) turned into lookups and names. Transitions
// live in their family files; nothing here knows any one of them.

#include <string>

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

}  // namespace sw::effects

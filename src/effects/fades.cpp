// Fades: transitions that blend A and B sample by sample, with no geometry.

#include "effects/xfade_math.h"

namespace sw::effects {
using namespace detail;

namespace {

void render_fade(const Job& j)
{
    const float p = j.progress;
    for_each_row(j, [&](const RowRef& r) {
        for (int i = 0; i < r.n; ++i)
            r.out[i] = to_u8(mix(r.a[i], r.b[i], p));
    });
}

}  // namespace

const Transition& transition_fade()
{
    static const FnTransition t{"fade", "Cross-fade: A dissolves evenly into B", render_fade};
    return t;
}

}  // namespace sw::effects

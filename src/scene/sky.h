#pragma once
// The sky and other backgrounds of a scene (internal to src/scene).

#include <vector>

#include "core/error.h"
#include "scene/noise.h"
#include "scene/stage.h"

namespace sw::scene::detail {

// The sky's colour at any world point, analytic: drawn into the sky layer and sampled again,
// mirrored, by water. Also says where the sun or moon glows (for slope light and glitter).
struct SkyModel {
    Palette pal;
    double top_y = 0, hy = 0;
    bool glow = false;
    double gx = 0, gy = 0, gr = 1, gk = 0;
    C3 gc;
    bool city_glow = false;
    C3 city_col;
    double city_r = 1;
    // Aurora: per world column (from x_base) the curtain's lower edge and strength.
    double x_base = 0;
    std::vector<float> aur_edge, aur_k;
    double aur_len = 1;

    C3 at(double x, double y) const
    {
        const double t = std::clamp((y - top_y) / (hy - top_y), 0.0, 1.0);
        C3 c = t < pal.mid_at ? mix(pal.top, pal.mid, smoothstep(0, 1, t / pal.mid_at))
                              : mix(pal.mid, pal.hor, smoothstep(0, 1, (t - pal.mid_at) / (1 - pal.mid_at)));
        if (glow) {
            const double d2 = ((x - gx) * (x - gx) + (y - gy) * (y - gy)) / (gr * gr);
            const double k = gk * (std::exp(-d2) + 0.35 * std::exp(-d2 * 0.12));
            c = c + gc * k;
        }
        if (city_glow) {
            const double d = std::max(0.0, hy - y) / city_r;
            c = c + city_col * (0.28 * std::exp(-d * d));
        }
        if (!aur_k.empty()) {
            const int i = std::clamp((int)(x - x_base), 0, (int)aur_k.size() - 1);
            const double e = aur_edge[i], k = aur_k[i];
            if (k > 0.001) {
                double v;
                if (y <= e)
                    v = std::exp(-(e - y) / aur_len);
                else
                    v = std::exp(-((y - e) * (y - e)) / (aur_len * aur_len * 0.02));
                v *= k;
                const double up = std::clamp((e - y) / (aur_len * 2.5), 0.0, 1.0);
                const C3 col = mix(rgb(70, 255, 170), rgb(170, 90, 255), up);
                c = c + col * (0.75 * v);
            }
        }
        return c;
    }
};

struct Sky {
    Layer layer;
    SkyModel model;
};

// The sky: gradient, sun or moon with their glow, city glow, aurora and stars.
core::Result<Sky> build_sky(const Stage& st);
// Drifting clouds (cumulus and a few cirrus streaks), coloured for the time of day.
core::Result<Layer> build_clouds(const Stage& st);
// Abstract background (unknown words, title cards): a deep palette gradient with soft glows,
// flowing bands with a light edge; far to near.
core::Result<std::vector<Layer>> build_abstract(const Stage& st);

}  // namespace sw::scene::detail

// Palettes: see palette.h.

#include "scene/palette.h"

namespace sw::scene::detail {

Palette palette_for(const SceneSpec& s)
{
    Palette p;
    switch (s.time) {
    case TimeOfDay::Dawn:
        p = {rgb(58, 82, 142), rgb(176, 152, 190), rgb(255, 200, 164), 0.55, rgb(222, 188, 196),
             rgb(140, 130, 176), rgb(88, 86, 132), rgb(84, 100, 116), rgb(40, 62, 70), rgb(112, 124, 120),
             rgb(238, 230, 244), rgb(96, 112, 156), rgb(255, 238, 204), rgb(255, 196, 150), rgb(255, 220, 160)};
        break;
    case TimeOfDay::Day:
        p = {rgb(40, 104, 190), rgb(104, 162, 224), rgb(200, 226, 246), 0.6, rgb(186, 210, 232),
             rgb(118, 148, 190), rgb(66, 98, 126), rgb(86, 132, 84), rgb(34, 84, 50), rgb(98, 148, 78),
             rgb(248, 250, 255), rgb(44, 108, 160), rgb(255, 252, 236), rgb(255, 246, 220), rgb(150, 180, 210)};
        break;
    case TimeOfDay::Sunset:
        p = {rgb(36, 40, 96), rgb(178, 86, 110), rgb(255, 168, 86), 0.58, rgb(236, 146, 116),
             rgb(142, 86, 120), rgb(72, 44, 80), rgb(62, 40, 62), rgb(34, 24, 40), rgb(72, 48, 58),
             rgb(250, 206, 196), rgb(64, 44, 86), rgb(255, 216, 150), rgb(255, 150, 80), rgb(255, 200, 120)};
        break;
    case TimeOfDay::Night:
        p = {rgb(4, 7, 22), rgb(12, 22, 56), rgb(36, 52, 98), 0.6, rgb(38, 50, 90),
             rgb(28, 40, 74), rgb(14, 20, 44), rgb(14, 22, 38), rgb(8, 14, 24), rgb(20, 26, 44),
             rgb(122, 142, 192), rgb(10, 16, 38), rgb(250, 246, 228), rgb(140, 160, 210), rgb(255, 210, 140)};
        break;
    }
    if (s.overcast || s.rain) {
        const double k = s.time == TimeOfDay::Night ? 0.7 : 0.35;
        for (C3* c : {&p.top, &p.mid, &p.hor, &p.haze, &p.mount_far, &p.mount_near, &p.water})
            *c = saturate(*c, k);
        const C3 grey = s.time == TimeOfDay::Night ? rgb(30, 34, 44) : rgb(150, 158, 170);
        p.top = mix(p.top, grey, 0.45);
        p.mid = mix(p.mid, grey, 0.3);
    }
    if (s.season == Season::Autumn)
        p.forest = mix(p.forest, rgb(170, 80, 30), s.time == TimeOfDay::Night ? 0.2 : 0.75);
    if (s.snowfield || s.season == Season::Winter)
        p.ground = p.snow;
    if (s.fog)
        p.haze = mix(p.haze, rgb(230, 232, 236), s.time == TimeOfDay::Night ? 0.1 : 0.4);
    return p;
}

}  // namespace sw::scene::detail

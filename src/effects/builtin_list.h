// The builtin transitions, in catalogue order (FFmpeg 5.1 xfade's order).
// Adding a transition: define `const Transition& transition_<name>()` in a family file and add
// one SW_TRANSITION line here; the registry, `list transitions` and the golden test pick it up.
// No include guard: included twice by registry.cpp with different SW_TRANSITION definitions.
SW_TRANSITION(fade)

// The scene generator's vocabulary: which words (Chinese and English) turn on which elements,
// and the rules that fill in what a description implies (fireworks → night, rain → overcast...).
// docs/scene-generator.md lists the same words; keep them in step.

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <map>

#include "core/hash.h"
#include "core/text_util.h"
#include "lang/words.h"
#include "scene/noise.h"
#include "scene/scene.h"

namespace sw::scene {

namespace {

using Apply = void (*)(SceneSpec&);

struct Entry {
    const char* word;     // lower-case English (space-separated words) or Chinese
    const char* meaning;  // for the documentation
    Apply apply;
    bool camera = false;  // a camera/pace word: does not by itself make a scene
};

void set_time(SceneSpec& s, TimeOfDay t)
{
    s.time = t;
    s.time_stated = true;
}

// clang-format off
const Entry kEntries[] = {
    // Time of day.
    {"清晨", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"黎明", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"早晨", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"早上", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"晨曦", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"日出", "dawn sky with the sun on the horizon", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); s.sun = true; }},
    {"朝阳", "dawn sky with the sun on the horizon", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); s.sun = true; }},
    {"dawn", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"daybreak", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"morning", "dawn sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); }},
    {"sunrise", "dawn sky with the sun on the horizon", [](SceneSpec& s) { set_time(s, TimeOfDay::Dawn); s.sun = true; }},
    {"白天", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"晴", "clear day sky with the sun", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); s.sun = true; }},
    {"晴天", "clear day sky with the sun", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); s.sun = true; }},
    {"晴朗", "clear day sky with the sun", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); s.sun = true; }},
    {"中午", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"午后", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"蓝天", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"day", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"daytime", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"noon", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"afternoon", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"sunny", "clear day sky with the sun", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); s.sun = true; }},
    {"blue sky", "day sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Day); }},
    {"黄昏", "sunset sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); }},
    {"傍晚", "sunset sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); }},
    {"晚霞", "sunset sky with clouds", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.clouds = true; }},
    {"夕阳", "sunset sky with the sun low", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.sun = true; }},
    {"日落", "sunset sky with the sun low", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.sun = true; }},
    {"落日", "sunset sky with the sun low", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.sun = true; }},
    {"sunset", "sunset sky with the sun low", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.sun = true; }},
    {"dusk", "sunset sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); }},
    {"evening", "sunset sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); }},
    {"twilight", "sunset sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); }},
    {"golden hour", "sunset sky with the sun low", [](SceneSpec& s) { set_time(s, TimeOfDay::Sunset); s.sun = true; }},
    {"夜", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"夜晚", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"夜幕", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"夜色", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"夜景", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"晚上", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"深夜", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"午夜", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"night", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"nighttime", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"midnight", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},
    {"tonight", "night sky", [](SceneSpec& s) { set_time(s, TimeOfDay::Night); }},

    // Sky.
    {"星", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"星空", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"星星", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"银河", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"star", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"stars", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"starry", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"milky way", "stars", [](SceneSpec& s) { s.stars = true; }},
    {"月", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"月亮", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"月光", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"明月", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"moon", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"moonlight", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"moonlit", "the moon", [](SceneSpec& s) { s.moon = true; }},
    {"太阳", "the sun", [](SceneSpec& s) { s.sun = true; }},
    {"阳光", "the sun", [](SceneSpec& s) { s.sun = true; }},
    {"sun", "the sun", [](SceneSpec& s) { s.sun = true; }},
    {"sunshine", "the sun", [](SceneSpec& s) { s.sun = true; }},
    {"sunlight", "the sun", [](SceneSpec& s) { s.sun = true; }},
    {"云", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"云朵", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"白云", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"云海", "clouds and fog", [](SceneSpec& s) { s.clouds = true; s.fog = true; }},
    {"cloud", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"clouds", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"cloudy", "clouds", [](SceneSpec& s) { s.clouds = true; }},
    {"阴天", "overcast sky with clouds", [](SceneSpec& s) { s.overcast = true; s.clouds = true; }},
    {"overcast", "overcast sky with clouds", [](SceneSpec& s) { s.overcast = true; s.clouds = true; }},
    {"极光", "aurora (night)", [](SceneSpec& s) { s.aurora = true; }},
    {"aurora", "aurora (night)", [](SceneSpec& s) { s.aurora = true; }},
    {"northern lights", "aurora (night)", [](SceneSpec& s) { s.aurora = true; }},

    // Landforms.
    {"山", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"山峰", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"群山", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"高山", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"雪山", "snow-capped mountains", [](SceneSpec& s) { s.mountains = true; s.season = Season::Winter; }},
    {"mountain", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"mountains", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"peak", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"peaks", "mountains", [](SceneSpec& s) { s.mountains = true; }},
    {"alps", "snow-capped mountains", [](SceneSpec& s) { s.mountains = true; s.season = Season::Winter; }},
    {"丘陵", "hills", [](SceneSpec& s) { s.hills = true; }},
    {"山丘", "hills", [](SceneSpec& s) { s.hills = true; }},
    {"小山", "hills", [](SceneSpec& s) { s.hills = true; }},
    {"hill", "hills", [](SceneSpec& s) { s.hills = true; }},
    {"hills", "hills", [](SceneSpec& s) { s.hills = true; }},
    {"海", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"大海", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"海边", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"海面", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"海洋", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"sea", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"ocean", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"coast", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"seaside", "the sea, reflecting the sky", [](SceneSpec& s) { s.sea = true; }},
    {"沙滩", "the sea with a beach", [](SceneSpec& s) { s.sea = true; s.beach = true; }},
    {"海滩", "the sea with a beach", [](SceneSpec& s) { s.sea = true; s.beach = true; }},
    {"beach", "the sea with a beach", [](SceneSpec& s) { s.sea = true; s.beach = true; }},
    {"湖", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"湖泊", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"湖面", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"湖畔", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"池塘", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"lake", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"lakeside", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"pond", "a lake reflecting the sky and what stands above it", [](SceneSpec& s) { s.lake = true; }},
    {"江", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"河", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"河流", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"小溪", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"river", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"stream", "a winding river", [](SceneSpec& s) { s.river = true; }},
    {"森林", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"树林", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"树", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"林", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"松", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"forest", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"woods", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"tree", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"trees", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"pine", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"pines", "a forest", [](SceneSpec& s) { s.forest = true; }},
    {"雪原", "a snowfield", [](SceneSpec& s) { s.snowfield = true; }},
    {"雪地", "a snowfield", [](SceneSpec& s) { s.snowfield = true; }},
    {"雪野", "a snowfield", [](SceneSpec& s) { s.snowfield = true; }},
    {"snowfield", "a snowfield", [](SceneSpec& s) { s.snowfield = true; }},
    {"snowy", "a snowfield", [](SceneSpec& s) { s.snowfield = true; }},
    {"冰", "ice: an ice castle (or a frozen lake, icy peaks)", [](SceneSpec& s) { s.ice = true; }},
    {"冰雕", "ice sculptures: a stylised ice castle", [](SceneSpec& s) { s.ice = true; s.castle = true; }},
    {"冰雪", "ice and snow: snowfield, ice castle", [](SceneSpec& s) { s.ice = true; s.snowfield = true; }},
    {"冰川", "ice: icy, snow-capped peaks", [](SceneSpec& s) { s.ice = true; s.mountains = true; s.season = Season::Winter; }},
    {"ice", "ice: an ice castle (or a frozen lake, icy peaks)", [](SceneSpec& s) { s.ice = true; }},
    {"icy", "ice: an ice castle (or a frozen lake, icy peaks)", [](SceneSpec& s) { s.ice = true; }},
    {"frozen", "ice: an ice castle (or a frozen lake, icy peaks)", [](SceneSpec& s) { s.ice = true; }},
    {"ice sculpture", "ice sculptures: a stylised ice castle", [](SceneSpec& s) { s.ice = true; s.castle = true; }},
    {"ice sculptures", "ice sculptures: a stylised ice castle", [](SceneSpec& s) { s.ice = true; s.castle = true; }},
    {"glacier", "ice: icy, snow-capped peaks", [](SceneSpec& s) { s.ice = true; s.mountains = true; s.season = Season::Winter; }},
    {"城堡", "a castle silhouette (of ice with 冰/ice)", [](SceneSpec& s) { s.castle = true; }},
    {"宫殿", "a castle silhouette (of ice with 冰/ice)", [](SceneSpec& s) { s.castle = true; }},
    {"castle", "a castle silhouette (of ice with 冰/ice)", [](SceneSpec& s) { s.castle = true; }},
    {"palace", "a castle silhouette (of ice with 冰/ice)", [](SceneSpec& s) { s.castle = true; }},
    {"城市", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"都市", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"街", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"街道", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"高楼", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"大楼", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"city", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"skyline", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"street", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"streets", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"downtown", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"skyscraper", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"skyscrapers", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"buildings", "a city skyline (lit windows at night)", [](SceneSpec& s) { s.city = true; }},
    {"草原", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"草地", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"田野", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"grass", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"meadow", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"field", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"fields", "grassland", [](SceneSpec& s) { s.grass = true; }},
    {"prairie", "grassland", [](SceneSpec& s) { s.grass = true; }},

    // Weather and particles.
    {"雪", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"雪花", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"下雪", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"飘雪", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"snow", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"snowing", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"snowfall", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"snowflake", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"snowflakes", "falling snow", [](SceneSpec& s) { s.snow = true; }},
    {"雨", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"下雨", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"细雨", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"烟雨", "rain and mist", [](SceneSpec& s) { s.rain = true; s.fog = true; }},
    {"rain", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"rainy", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"raining", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"drizzle", "rain under an overcast sky", [](SceneSpec& s) { s.rain = true; }},
    {"雾", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"薄雾", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"雾气", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"晨雾", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"云雾", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"fog", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"foggy", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"mist", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"misty", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"haze", "drifting fog", [](SceneSpec& s) { s.fog = true; }},
    {"花瓣", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"落英", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"花", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"花海", "blossoming trees and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; s.grass = true; }},
    {"樱花", "cherry trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"桃花", "peach trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"petal", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"petals", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"flower", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"flowers", "falling petals", [](SceneSpec& s) { s.petals = true; }},
    {"blossom", "trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"blossoms", "trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"cherry", "cherry trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"sakura", "cherry trees in blossom and falling petals", [](SceneSpec& s) { s.petals = true; s.blossom_trees = true; }},
    {"烟花", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"烟火", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"焰火", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"礼花", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"firework", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"fireworks", "fireworks (night)", [](SceneSpec& s) { s.fireworks = true; }},
    {"灯笼", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"孔明灯", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"天灯", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"河灯", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"lantern", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"lanterns", "floating lanterns rising (night)", [](SceneSpec& s) { s.lanterns = true; }},
    {"彩灯", "coloured bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; s.neon = true; }},
    {"灯光", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"灯火", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"灯", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"霓虹", "neon-coloured bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; s.neon = true; }},
    {"bokeh", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"lights", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"string lights", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"fairy lights", "warm bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; }},
    {"neon", "neon-coloured bokeh lights (night)", [](SceneSpec& s) { s.bokeh = true; s.neon = true; }},
    {"闪烁", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"闪耀", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"璀璨", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"twinkle", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"twinkling", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"sparkle", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"sparkling", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},
    {"glittering", "lights twinkle", [](SceneSpec& s) { s.twinkle = true; }},

    // Seasons.
    {"春", "spring: blossoming trees", [](SceneSpec& s) { s.season = Season::Spring; }},
    {"春天", "spring: blossoming trees", [](SceneSpec& s) { s.season = Season::Spring; }},
    {"spring", "spring: blossoming trees", [](SceneSpec& s) { s.season = Season::Spring; }},
    {"夏", "summer: green land", [](SceneSpec& s) { s.season = Season::Summer; }},
    {"夏天", "summer: green land", [](SceneSpec& s) { s.season = Season::Summer; }},
    {"summer", "summer: green land", [](SceneSpec& s) { s.season = Season::Summer; }},
    {"秋", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; }},
    {"秋天", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; }},
    {"红叶", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; s.forest = true; }},
    {"枫", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; s.forest = true; }},
    {"autumn", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; }},
    {"maple", "autumn: orange and red trees", [](SceneSpec& s) { s.season = Season::Autumn; s.forest = true; }},
    {"冬", "winter: snow on the ground and peaks", [](SceneSpec& s) { s.season = Season::Winter; }},
    {"冬天", "winter: snow on the ground and peaks", [](SceneSpec& s) { s.season = Season::Winter; }},
    {"冬日", "winter: snow on the ground and peaks", [](SceneSpec& s) { s.season = Season::Winter; }},
    {"winter", "winter: snow on the ground and peaks", [](SceneSpec& s) { s.season = Season::Winter; }},

    // Camera and pace.
    {"推进", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"推近", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"拉近", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"push in", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"push-in", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"zoom in", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"dolly in", "camera pushes in", [](SceneSpec& s) { s.camera = CameraMotion::PushIn; }, true},
    {"拉远", "camera pulls out", [](SceneSpec& s) { s.camera = CameraMotion::PullOut; }, true},
    {"pull out", "camera pulls out", [](SceneSpec& s) { s.camera = CameraMotion::PullOut; }, true},
    {"zoom out", "camera pulls out", [](SceneSpec& s) { s.camera = CameraMotion::PullOut; }, true},
    {"航拍", "aerial: camera glides forward over the land", [](SceneSpec& s) { s.camera = CameraMotion::Aerial; }, true},
    {"俯瞰", "aerial: camera glides forward over the land", [](SceneSpec& s) { s.camera = CameraMotion::Aerial; }, true},
    {"鸟瞰", "aerial: camera glides forward over the land", [](SceneSpec& s) { s.camera = CameraMotion::Aerial; }, true},
    {"aerial", "aerial: camera glides forward over the land", [](SceneSpec& s) { s.camera = CameraMotion::Aerial; }, true},
    {"drone", "aerial: camera glides forward over the land", [](SceneSpec& s) { s.camera = CameraMotion::Aerial; }, true},
    {"平移", "camera drifts sideways (the default)", [](SceneSpec& s) { s.camera = CameraMotion::Drift; }, true},
    {"横移", "camera drifts sideways (the default)", [](SceneSpec& s) { s.camera = CameraMotion::Drift; }, true},
    {"pan", "camera drifts sideways (the default)", [](SceneSpec& s) { s.camera = CameraMotion::Drift; }, true},
    {"drift", "camera drifts sideways (the default)", [](SceneSpec& s) { s.camera = CameraMotion::Drift; }, true},
    {"静止", "camera (almost) still", [](SceneSpec& s) { s.camera = CameraMotion::Still; }, true},
    {"固定", "camera (almost) still", [](SceneSpec& s) { s.camera = CameraMotion::Still; }, true},
    {"still", "camera (almost) still", [](SceneSpec& s) { s.camera = CameraMotion::Still; }, true},
    {"static", "camera (almost) still", [](SceneSpec& s) { s.camera = CameraMotion::Still; }, true},
    {"缓慢", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"缓缓", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"慢", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"宁静", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"静谧", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"slow", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"slowly", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"gentle", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"calm", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"quiet", "slower camera and particles", [](SceneSpec& s) { s.speed = 0.55; }, true},
    {"快速", "faster camera and particles", [](SceneSpec& s) { s.speed = 1.6; }, true},
    {"fast", "faster camera and particles", [](SceneSpec& s) { s.speed = 1.6; }, true},
    {"quick", "faster camera and particles", [](SceneSpec& s) { s.speed = 1.6; }, true},
};
// clang-format on

// A one-character trigger names its thing as a word of its own or inside a word that keeps the
// meaning (雪山, 洱海, 明月); in these words it means something else (三月 is March, 上海 a city,
// 星期 a week). `after_numeral`: after a number it counts (三月, 五星级, 三天两夜) rather than names.
struct OtherMeanings {
    const char* trigger;
    bool after_numeral;
    const char* words;  // space-separated
};
constexpr OtherMeanings kOtherMeanings[] = {
    {"晴", false, "晴纶"},
    {"夜", true, "夜宵 夜店 熬夜 过夜 夜班 半夜三更"},
    {"星", true, "星期 明星 星级 星巴克 卫星 星座 零星 寿星 救星 球星 歌星 影星 童星 新星 巨星 火星"},
    {"月", true, "岁月 月份 每月 本月 上月 下月 个月 月底 月初 月中 月末 月薪 月票 月饼 月季 蜜月 满月 年月 日月 月度 月报 月子 月经 正月 腊月"},
    {"云", false, "云南 云吞 云计算 云端 云盘 云存储 人云亦云"},
    {"山", false, "山东 山西 山寨 山药 山楂 江山 靠山"},
    {"海", false, "上海 海报 海拔 海关 海鲜 海淘 海南 海量 海绵 海选 人海 海外"},
    {"湖", false, "湖南 湖北 江湖"},
    {"江", false, "江苏 江西 浙江 江湖 江南 黑龙江"},
    {"河", false, "河南 河北 河豚"},
    {"树", false, "树立 建树"},
    {"林", false, "林业 吉林 少林 园林 武林"},
    {"松", false, "放松 轻松 宽松 松弛 松鼠 松露 松饼 蓬松 松散 肉松 稀松"},
    {"冰", false, "冰箱 冰淇淋 冰激凌 冰棍 冰糖 冰柜 冰沙 冰美式 冰块 冰袋 冰点"},
    {"街", false, "街舞 逛街"},
    {"雪", false, "雪碧 雪糕 雪茄 雪梨 雪中送炭"},
    {"雨", false, "雨伞 雨衣 雨刷"},
    {"雾", false, "雾化"},
    {"花", false, "花钱 花费 花椒 花生 花销 花样 花招 花哨 花卷 花甲 花呗 眼花 烟花 天花板 棉花 花菜"},
    {"灯", false, "灯泡 灯具 红绿灯 灯管 台灯"},
    {"春", false, "春节 春卷 青春 春联 春运 春晚"},
    {"夏", false, "华夏 夏令营"},
    {"秋", false, "秋千 千秋 秋裤"},
    {"冬", false, "冬瓜 冬笋"},
    {"枫", false, ""},
    {"慢", false, "慢性 傲慢 怠慢 慢跑"},
};

std::vector<std::string> split_words(const char* s);

bool is_numeral(char32_t c)
{
    static constexpr std::u32string_view set = U"0123456789０１２３４５６７８９一二三四五六七八九十两几百千〇零半";
    return set.find(c) != std::u32string_view::npos;
}

// kOtherMeanings by trigger, its words split once.
struct Meanings {
    bool after_numeral;
    std::vector<std::string> words;
};
const Meanings* other_meanings(std::string_view trigger)
{
    static const std::map<std::string, Meanings, std::less<>> table = [] {
        std::map<std::string, Meanings, std::less<>> t;
        for (const auto& o : kOtherMeanings)
            t[o.trigger] = {o.after_numeral, split_words(o.words)};
        return t;
    }();
    auto it = table.find(trigger);
    return it == table.end() ? nullptr : &it->second;
}

// Whether a one-character trigger at [at, at + n) of `d` names its thing there (see above);
// `boundaries` are d's word boundaries (ICU).
bool names_its_thing(std::string_view d, size_t at, size_t n, const std::vector<bool>& boundaries)
{
    const Meanings* other = other_meanings(d.substr(at, n));
    if (!other)
        return true;
    if (other->after_numeral && at > 0) {
        size_t k = at - 1;
        while (k > 0 && ((unsigned char)d[k] & 0xC0) == 0x80)
            --k;
        const std::u32string before = core::utf8_decode(d.substr(k, at - k));
        // 个 in 三个月; 多 in 五年多月 is rare enough to leave.
        if (!before.empty() && (is_numeral(before[0]) || before[0] == U'个'))
            return false;
    }
    // One of the other meanings is written over this very character, and it is a word there:
    // each of its edges is a word boundary (ICU's segmentation) or lies inside the word around
    // the character. So 上海 and 雪碧 (雪|碧 to ICU) count, and so does 冰棍 in 马迭尔冰棍, while
    // 登上|海边 keeps its sea.
    size_t word_begin = at, word_end = at + n;
    while (!boundaries[word_begin])
        --word_begin;
    while (!boundaries[word_end])
        ++word_end;
    auto edge_ok = [&](size_t e) { return boundaries[e] || (e > word_begin && e < word_end); };
    for (const auto& x : other->words) {
        const size_t from = at + n > x.size() ? at + n - x.size() : 0;
        for (size_t p = d.find(x, from); p != std::string_view::npos && p <= at; p = d.find(x, p + 1))
            if (p + x.size() >= at + n && edge_ok(p) && edge_ok(p + x.size()))
                return false;
    }
    return true;
}

using detail::mix64;

bool is_ascii_entry(const char* w)
{
    for (const char* p = w; *p; ++p)
        if ((unsigned char)*p >= 0x80)
            return false;
    return true;
}

struct Token {
    std::string lower;
    size_t begin, end;  // byte range in the description
};

// ASCII words (letters, digits, apostrophes, hyphens inside a word), lower-cased, with offsets.
std::vector<Token> ascii_tokens(std::string_view d)
{
    std::vector<Token> out;
    size_t i = 0;
    auto word_char = [](unsigned char c) { return std::isalnum(c) != 0; };
    while (i < d.size()) {
        unsigned char c = d[i];
        if (c < 0x80 && word_char(c)) {
            size_t b = i;
            std::string w;
            while (i < d.size() && (unsigned char)d[i] < 0x80 &&
                   (word_char(d[i]) || ((d[i] == '-' || d[i] == '\'') && i + 1 < d.size() &&
                                        (unsigned char)d[i + 1] < 0x80 && word_char(d[i + 1])))) {
                w.push_back((char)std::tolower((unsigned char)d[i]));
                ++i;
            }
            out.push_back({w, b, i});
        } else {
            ++i;
        }
    }
    return out;
}

std::vector<std::string> split_words(const char* s)
{
    std::vector<std::string> out;
    std::string cur;
    for (const char* p = s; *p; ++p) {
        if (*p == ' ') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(*p);
        }
    }
    if (!cur.empty())
        out.push_back(cur);
    return out;
}

struct Match {
    size_t begin, end;
    const Entry* entry;
};

}  // namespace

bool SceneSpec::has(std::string_view e) const
{
    for (const auto& x : elements)
        if (x == e || (x.size() > e.size() && x.compare(0, e.size(), e) == 0 && x[e.size()] == ':'))
            return true;
    return false;
}

const std::vector<SceneWord>& scene_vocabulary()
{
    static const std::vector<SceneWord> v = [] {
        std::vector<SceneWord> out;
        for (const auto& e : kEntries)
            out.push_back({e.word, e.meaning});
        return out;
    }();
    return v;
}

SceneSpec parse_scene(std::string_view d, uint64_t seed)
{
    SceneSpec s;
    s.seed = seed;
    std::vector<Match> matches;

    // Chinese: substrings, longest words first, each byte used by one word only (so 雪花 is
    // snow, not 雪 + 花, and 夜晚 is one word).
    std::vector<const Entry*> zh;
    for (const auto& e : kEntries)
        if (!is_ascii_entry(e.word))
            zh.push_back(&e);
    std::stable_sort(zh.begin(), zh.end(),
                     [](const Entry* a, const Entry* b) { return std::strlen(a->word) > std::strlen(b->word); });
    std::vector<char> used(d.size(), 0);
    const std::vector<bool> boundaries = lang::word_boundaries(d);
    for (const Entry* e : zh) {
        const size_t n = std::strlen(e->word);
        const bool one_character = core::utf8_length(e->word) == 1;
        for (size_t at = d.find(e->word); at != std::string_view::npos; at = d.find(e->word, at + 1)) {
            if (std::any_of(used.begin() + at, used.begin() + at + n, [](char c) { return c != 0; }))
                continue;
            if (one_character && !names_its_thing(d, at, n, boundaries))
                continue;
            std::fill(used.begin() + at, used.begin() + at + n, 1);
            matches.push_back({at, at + n, e});
        }
    }

    // English: whole words (and word sequences), longest sequences first.
    const auto tokens = ascii_tokens(d);
    std::vector<std::pair<std::vector<std::string>, const Entry*>> en;
    for (const auto& e : kEntries)
        if (is_ascii_entry(e.word))
            en.push_back({split_words(e.word), &e});
    std::stable_sort(en.begin(), en.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    std::vector<char> tok_used(tokens.size(), 0);
    for (const auto& [words, e] : en) {
        for (size_t t = 0; t + words.size() <= tokens.size(); ++t) {
            bool ok = true;
            for (size_t k = 0; k < words.size() && ok; ++k)
                ok = !tok_used[t + k] && tokens[t + k].lower == words[k];
            if (!ok)
                continue;
            for (size_t k = 0; k < words.size(); ++k)
                tok_used[t + k] = 1;
            matches.push_back({tokens[t].begin, tokens[t + words.size() - 1].end, e});
        }
    }

    std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.begin < b.begin; });
    bool scene_word = false;
    for (const auto& m : matches) {
        m.entry->apply(s);
        s.understood.emplace_back(d.substr(m.begin, m.end - m.begin));
        scene_word |= !m.entry->camera;
    }

    // Palette: the words' hash picks a hue; the seed nudges it so two shots with the same words differ.
    const uint64_t h = core::fnv1a64(d);
    s.hue = double(h % 360) + double(int(mix64(seed) % 41) - 20);
    s.hue = std::fmod(s.hue + 360.0, 360.0);
    s.abstract = !scene_word;

    // What the words imply.
    if (s.abstract) {
        s.elements = {"sky:gradient", "glow", "waves", "bokeh"};
        s.bokeh = true;
    } else {
        if (!s.time_stated) {
            if (s.fireworks || s.lanterns || s.aurora || s.bokeh || s.stars || (s.moon && !s.sun))
                s.time = TimeOfDay::Night;
            else
                s.time = TimeOfDay::Day;
        }
        if (s.aurora && !s.time_stated)
            s.time = TimeOfDay::Night;
        if (s.rain)
            s.overcast = s.clouds = true;
        if (s.snow && s.time == TimeOfDay::Day)
            s.overcast = true;
        if (s.season == Season::Winter || s.snow || s.aurora)
            if (!s.sea && !s.lake && !s.river && !s.grass && !s.city)
                s.snowfield = true;
        if (s.ice && !s.castle && !s.lake && !s.sea && !s.river && !s.mountains)
            s.castle = true;
        if (s.ice && s.castle && !s.lake && !s.sea && !s.river)
            s.snowfield = true;
        if ((s.petals && s.forest) || (s.season == Season::Spring && s.forest))
            s.blossom_trees = true;
        if (s.blossom_trees)
            s.forest = true;
        if (s.season == Season::Spring && !s.forest && !s.city && !s.sea) {
            s.forest = s.blossom_trees = true;
            s.petals = true;
        }
        const bool land = s.mountains || s.hills || s.sea || s.lake || s.river || s.forest || s.snowfield ||
                          s.city || s.castle || s.grass;
        if (!land)
            s.hills = true;
        // The sky: a night has stars and (unless overcast) the moon; dawn and sunset their sun.
        const bool clear = !s.overcast && !s.rain;
        if (s.time == TimeOfDay::Night) {
            s.sun = false;
            if (clear && !s.city)
                s.stars = true;
            if (clear && !s.fireworks && !s.moon && (s.lake || s.sea || s.mountains || s.snowfield || s.castle))
                s.moon = true;
        } else {
            s.stars = s.stars && s.time == TimeOfDay::Dawn;
            if (clear && (s.time == TimeOfDay::Sunset || s.time == TimeOfDay::Dawn))
                s.sun = true;
            if (s.time == TimeOfDay::Day && !s.fog)
                s.clouds = true;
            s.moon = s.moon && s.time == TimeOfDay::Dawn;
            s.aurora = false;
        }
        if (!clear)
            s.sun = s.stars = s.moon = false;

        static const char* tod[] = {"sky:dawn", "sky:day", "sky:sunset", "sky:night"};
        s.elements.push_back(tod[int(s.time)]);
        auto add = [&](bool on, const char* name) {
            if (on)
                s.elements.push_back(name);
        };
        add(s.overcast, "overcast");
        add(s.stars, "stars");
        add(s.moon, "moon");
        add(s.sun, "sun");
        add(s.aurora, "aurora");
        add(s.clouds, "clouds");
        add(s.mountains, "mountains");
        add(s.hills, "hills");
        add(s.castle && s.ice, "castle:ice");
        add(s.castle && !s.ice, "castle");
        add(s.city, "city");
        add(s.city && s.time == TimeOfDay::Night, "windows");
        add(s.forest && s.blossom_trees, "forest:blossom");
        add(s.forest && !s.blossom_trees, "forest");
        add(s.grass, "grass");
        add(s.snowfield, "snowfield");
        add(s.ice && !s.castle, "ice");
        add(s.sea, "sea");
        add(s.beach, "beach");
        add(s.lake, "lake");
        add(s.river, "river");
        add(s.sea || s.lake || s.river, "reflection");
        add(s.fog, "fog");
        add(s.snow, "snow");
        add(s.rain, "rain");
        add(s.petals, "petals");
        add(s.fireworks, "fireworks");
        add(s.lanterns, "lanterns");
        add(s.bokeh, "bokeh");
    }
    static const char* cam[] = {"camera:drift", "camera:push-in", "camera:pull-out", "camera:aerial", "camera:still"};
    s.elements.push_back(cam[int(s.camera)]);
    return s;
}

}  // namespace sw::scene

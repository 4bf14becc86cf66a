// A labelled media library, as an editor's folder would be: three cities' photos (camera file
// names with JSON sidecars, Chinese file names with .txt sidecars) and generic ones, and shot
// descriptions with the asset each should get, or none. Measures top-1 accuracy and cross-city
// picks of pick_assets at the default minimum score, and how both vary with that minimum (the
// figures docs/library.md quotes come from this test's output).

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>

#include "library/library.h"
#include "test_support.h"

namespace sw::library {
namespace {

namespace fs = std::filesystem;
using sw::test::TempDir;
using sw::test::write_file;

struct LabelledAsset {
    const char* rel;
    const char* description;  // "" = none
    std::vector<std::string> tags;
    bool txt_sidecar = false;  // description in photo.jpg.txt instead of JSON
};

// 44 assets: Harbin, Dali, Xi'an, and generic pictures that belong to no city.
const std::vector<LabelledAsset>& assets()
{
    static const std::vector<LabelledAsset> a = {
        {"harbin/DSC_5521.jpg", "冰雪大世界的彩灯冰雕,夜晚", {"冰雪大世界", "哈尔滨", "彩灯"}},
        {"harbin/DSC_5522.jpg", "冰雪大世界入口的冰雕城堡", {"冰雪大世界", "冰雕"}},
        {"harbin/中央大街_01.jpg", "中央大街上的欧式建筑和行人", {}, true},
        {"harbin/中央大街_02.jpg", "中央大街的马迭尔冰棍摊", {}, true},
        {"harbin/圣索菲亚大教堂.jpg", "圣索菲亚大教堂的绿色穹顶", {}, true},
        {"harbin/IMG_0231.jpg", "松花江上的冬泳", {"松花江"}},
        {"harbin/IMG_0232.jpg", "松花江冰面上的马拉爬犁", {"松花江"}},
        {"harbin/IMG_0240.jpg", "防洪纪念塔前的广场", {"防洪纪念塔"}},
        {"harbin/雪博会_夜景.jpg", "太阳岛雪博会的巨型雪雕", {}, true},
        {"harbin/DSC_5530.jpg", "红肠和大列巴,哈尔滨特色美食", {"红肠", "美食"}},
        {"harbin/DSC_5531.jpg", "刚出锅的锅包肉", {"锅包肉", "东北菜"}},
        {"harbin/IMG_0250.jpg", "雾凇挂满枝头的清晨", {"雾凇"}},
        {"harbin/DSC_5540.jpg", "冰灯游园会里五彩的冰灯", {"冰灯"}},
        {"harbin/IMG_0260.jpg", "中央大街的圣诞彩灯", {"中央大街", "彩灯"}},
        {"dali/洱海_日出.jpg", "洱海上的日出,渔船", {"洱海", "日出"}},
        {"dali/DSC_1001.jpg", "洱海边骑行的游客", {"洱海", "骑行"}},
        {"dali/DSC_1002.jpg", "苍山的雪顶和云海", {"苍山", "云海"}},
        {"dali/苍山_索道.jpg", "苍山索道俯瞰大理", {}, true},
        {"dali/DSC_1010.jpg", "大理古城的南城门", {"大理古城", "城门"}},
        {"dali/DSC_1011.jpg", "大理古城人民路的小店", {"大理古城", "人民路"}},
        {"dali/鲜花饼.jpg", "刚出炉的玫瑰鲜花饼", {"鲜花饼", "美食"}},
        {"dali/DSC_1020.jpg", "崇圣寺三塔的倒影", {"崇圣寺三塔"}},
        {"dali/DSC_1021.jpg", "喜洲古镇的白族民居", {"喜洲", "白族"}},
        {"dali/DSC_1030.jpg", "双廊的海景客栈", {"双廊", "客栈"}},
        {"dali/DSC_1031.jpg", "乳扇和饵块,大理小吃", {"乳扇", "饵块"}},
        {"dali/DSC_1040.jpg", "洱海边的花海,格桑花盛开", {"花海", "洱海"}},
        {"xian/大雁塔_夜景.jpg", "大雁塔北广场的音乐喷泉", {"大雁塔", "喷泉"}},
        {"xian/DSC_2001.jpg", "大雁塔和大慈恩寺", {"大雁塔"}},
        {"xian/DSC_2010.jpg", "兵马俑一号坑的陶俑方阵", {"兵马俑"}},
        {"xian/兵马俑_特写.jpg", "兵马俑跪射俑的特写", {}, true},
        {"xian/DSC_2020.jpg", "回民街的肉夹馍和羊肉泡馍", {"回民街", "美食"}},
        {"xian/DSC_2021.jpg", "回民街夜晚的灯笼", {"回民街", "灯笼"}},
        {"xian/DSC_2030.jpg", "西安城墙上骑自行车", {"城墙", "骑行"}},
        {"xian/DSC_2031.jpg", "钟楼的夜景", {"钟楼"}},
        {"xian/DSC_2040.jpg", "大唐不夜城的彩灯和表演", {"大唐不夜城", "彩灯"}},
        {"xian/DSC_2041.jpg", "华山长空栈道", {"华山"}},
        {"xian/DSC_2050.jpg", "一大碗油泼面", {"面食"}},
        {"generic/彩灯_01.jpg", "节日的彩灯串", {"彩灯"}},
        {"generic/花海.jpg", "向日葵花海", {"花海"}},
        {"generic/日落_海边.jpg", "海边的日落", {"日落"}},
        {"generic/DSC_9001.jpg", "城市天际线的日落", {"日落", "城市"}},
        {"generic/DSC_9002.jpg", "雨天的街道", {"雨天"}},
        {"generic/DSC_9003.jpg", "咖啡杯和书", {"咖啡"}},
        {"generic/DSC_9004.jpg", "星空银河", {"星空"}},
    };
    return a;
}

struct LabelledShot {
    const char* city;         // the article the shot is in
    const char* description;  // its visual: line
    const char* expected;     // the asset it should get; "" = none fits (falls back)
};

const std::vector<LabelledShot>& shots()
{
    static const std::vector<LabelledShot> s = {
        {"dali", "清晨的洱海,渔船在日出中归来", "dali/洱海_日出.jpg"},
        {"dali", "沿着洱海骑行", "dali/DSC_1001.jpg"},
        {"dali", "苍山顶上的积雪和云海", "dali/DSC_1002.jpg"},
        {"dali", "坐索道登上苍山", "dali/苍山_索道.jpg"},
        {"dali", "大理古城的城门", "dali/DSC_1010.jpg"},
        {"dali", "古城人民路上的小店", "dali/DSC_1011.jpg"},
        {"dali", "刚出炉的鲜花饼", "dali/鲜花饼.jpg"},
        {"dali", "崇圣寺三塔", "dali/DSC_1020.jpg"},
        {"dali", "喜洲的白族民居", "dali/DSC_1021.jpg"},
        {"dali", "双廊海边的客栈", "dali/DSC_1030.jpg"},
        {"dali", "洱海边盛开的花海", "dali/DSC_1040.jpg"},
        {"dali", "五彩斑斓的扎染布", ""},     // only 彩 in common (彩灯)
        {"dali", "花开满院的庭院", ""},       // only 花 in common (松花江, 花海)
        {"dali", "彩色的热气球", ""},
        {"dali", "一朵花", ""},
        {"dali", "花瓣上的露珠", ""},
        {"harbin", "冰雪大世界的冰雕城堡", "harbin/DSC_5522.jpg"},
        {"harbin", "中央大街的欧式建筑", "harbin/中央大街_01.jpg"},
        {"harbin", "圣索菲亚大教堂", "harbin/圣索菲亚大教堂.jpg"},
        {"harbin", "松花江上冬泳的人", "harbin/IMG_0231.jpg"},
        {"harbin", "清晨挂满雾凇的树枝", "harbin/IMG_0250.jpg"},
        {"harbin", "防洪纪念塔", "harbin/IMG_0240.jpg"},
        {"harbin", "太阳岛雪博会的雪雕", "harbin/雪博会_夜景.jpg"},
        {"harbin", "东北名菜锅包肉", "harbin/DSC_5531.jpg"},
        {"xian", "大雁塔北广场的音乐喷泉", "xian/大雁塔_夜景.jpg"},
        {"xian", "兵马俑一号坑", "xian/DSC_2010.jpg"},
        {"xian", "回民街的肉夹馍", "xian/DSC_2020.jpg"},
        {"xian", "骑自行车游览西安城墙", "xian/DSC_2030.jpg"},
        {"xian", "华山的长空栈道", "xian/DSC_2041.jpg"},
        {"xian", "热带雨林里的猴子", ""},
        {"xian", "海边的日落", "generic/日落_海边.jpg"},
        {"xian", "彩虹", ""},
    };
    return s;
}

std::string json_string(const std::string& s) { return "\"" + s + "\""; }  // the texts have no quotes

void make_labelled_library(const fs::path& dir)
{
    // One ffmpeg run writes every picture (one input frame, many outputs): the content is not
    // analysed, only the names, sidecars and sizes are.
    std::vector<std::string> args{"-f", "lavfi", "-i", "testsrc2=s=960x540:r=1"};
    for (auto& a : assets()) {
        fs::create_directories((dir / a.rel).parent_path());
        for (const char* o : {"-frames:v", "1", "-update", "1", "-q:v", "5"})
            args.push_back(o);
        args.push_back((dir / a.rel).string());
        if (a.txt_sidecar) {
            write_file(dir / (std::string(a.rel) + ".txt"), a.description);
        } else {
            std::string tags;
            for (auto& t : a.tags)
                tags += (tags.empty() ? "" : ", ") + json_string(t);
            write_file(dir / (std::string(a.rel) + ".json"),
                       "{\"description\": " + json_string(a.description) + ", \"tags\": [" + tags + "]}");
        }
    }
    sw::test::ffmpeg(args);
}

std::string city_of(const std::string& rel) { return rel.substr(0, rel.find('/')); }

struct Figures {
    size_t correct = 0, cross_city = 0, wrong = 0;
    std::vector<std::string> misses;
};

Figures measure(const Library& lib, double min_relevance)
{
    Figures f;
    PickOptions o;
    o.min_relevance = min_relevance;
    for (auto& s : shots()) {
        // Each shot on its own: the measure is the choice for a description, not re-use.
        auto p = pick_assets(lib, {{s.description, 1920, 1080, 0}}, 0, o);
        EXPECT_TRUE(p);
        std::string got = p && (*p)[0] ? (*p)[0]->chosen.rel_path : "";
        if (got == s.expected) {
            ++f.correct;
            continue;
        }
        ++f.wrong;
        if (!got.empty() && city_of(got) != "generic" && city_of(got) != s.city)
            ++f.cross_city;
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.2f", p && (*p)[0] ? (*p)[0]->score : 0.0);
        f.misses.push_back(std::string(s.description) + " → " + (got.empty() ? "none" : got + " " + buf) + " (expected " +
                           (*s.expected ? s.expected : "none") + ")");
    }
    return f;
}

TEST(library_labelled, TopOneAccuracyAndNoCrossCityPicks)
{
    ASSERT_GE(assets().size(), 40u);
    ASSERT_GE(shots().size(), 30u);
    TempDir dir("library-labelled");
    make_labelled_library(dir.path());
    auto lib = Library::open(dir.path());
    ASSERT_TRUE(lib) << lib.error().to_string();
    auto stats = lib->update();
    ASSERT_TRUE(stats) << stats.error().to_string();
    ASSERT_EQ(stats->indexed, assets().size());
    ASSERT_TRUE(stats->skipped.empty());

    // Best relevance per shot, for choosing the minimum: expected picks should score above it,
    // shots that fit nothing below.
    std::printf("shot | best candidate | score | expected\n");
    double lowest_fit = 1, highest_unfit = 0;
    for (auto& s : shots()) {
        SearchOptions so;
        so.limit = 1;
        auto h = lib->search(s.description, so);
        ASSERT_TRUE(h);
        std::string matched;
        if (!h->empty())
            for (auto& m : h->front().matched_terms)
                matched += (matched.empty() ? "" : ",") + m;
        const double best = h->empty() ? 0.0 : h->front().score;
        if (*s.expected && !h->empty() && h->front().asset.rel_path == s.expected)
            lowest_fit = std::min(lowest_fit, best);
        else if (!*s.expected)
            highest_unfit = std::max(highest_unfit, best);
        std::printf("%s | %s [%s] | %.2f | %s\n", s.description, h->empty() ? "-" : h->front().asset.rel_path.c_str(),
                    matched.c_str(), h->empty() ? 0.0 : h->front().score, *s.expected ? s.expected : "none");
    }
    std::printf("lowest score of a fitting best candidate %.2f, highest of a shot that fits nothing %.2f\n", lowest_fit,
                highest_unfit);
    // The default minimum must separate the two.
    EXPECT_LT(highest_unfit, kDefaultMinRelevance);
    EXPECT_GE(lowest_fit, kDefaultMinRelevance);
    std::printf("min score | top-1 correct | wrong | cross-city\n");
    for (double t : {0.0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7}) {
        Figures f = measure(*lib, t);
        std::printf("%.2f | %zu/%zu (%.0f %%) | %zu | %zu\n", t, f.correct, shots().size(),
                    100.0 * f.correct / shots().size(), f.wrong, f.cross_city);
    }

    Figures f = measure(*lib, kDefaultMinRelevance);
    std::printf("default minimum %.2f: top-1 %zu/%zu = %.1f %%, cross-city picks %zu\n", kDefaultMinRelevance, f.correct,
                shots().size(), 100.0 * f.correct / shots().size(), f.cross_city);
    for (auto& m : f.misses)
        std::printf("  miss: %s\n", m.c_str());
    EXPECT_GE(f.correct * 10, shots().size() * 9) << "top-1 accuracy below 90 %";
    EXPECT_EQ(f.cross_city, 0u);
}

}  // namespace
}  // namespace sw::library

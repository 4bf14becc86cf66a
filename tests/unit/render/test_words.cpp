// The names a project's lines keep whole come from everywhere the project names things.

#include <gtest/gtest.h>

#include "render/words.h"

using namespace sw;

TEST(ProjectWords, EveryPlaceTheProjectNamesThings)
{
    timeline::Project p;
    p.words = {"山茶小筑"};
    p.library_names = {"大理/苍洱人家民宿", "雪绒花奶茶"};
    timeline::Shot s;
    s.name = "冰雪大世界之夜";
    s.title = "哈尔滨 期待你的到来";
    s.visual.description = "马迭尔宾馆 外景";
    p.shots.push_back(s);
    auto lx = render::project_lexicon(p);
    for (const char* t : {"山茶小筑", "苍洱人家民宿", "雪绒花奶茶", "冰雪大世界之夜", "期待你的到来", "马迭尔宾馆",
                          "圣索菲亚大教堂"})
        EXPECT_TRUE(lx->contains(t)) << t;
    EXPECT_FALSE(lx->contains("大理/苍洱人家民宿")) << "a path is cut at its separators";
}

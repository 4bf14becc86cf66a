#pragma once
// A per-test temporary folder for scripts and tiny stand-in media files. The readers only check
// that media files exist, so a few bytes named .jpg/.mp4 are enough.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/diagnostics.h"
#include "script/script.h"

namespace swtest {

namespace fs = std::filesystem;

class TempDir {
public:
    TempDir()
    {
        static int counter = 0;
        auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        std::string name = std::string("sw_script_") + (info ? info->name() : "x") + "_" + std::to_string(::getpid()) + "_"
                         + std::to_string(counter++);
        m_path = fs::temp_directory_path() / name;
        fs::remove_all(m_path);
        fs::create_directories(m_path);
    }
    ~TempDir() { fs::remove_all(m_path); }
    const fs::path& path() const { return m_path; }
    fs::path write(const std::string& rel, const std::string& content = "x") const
    {
        fs::path p = m_path / rel;
        fs::create_directories(p.parent_path());
        std::ofstream(p, std::ios::binary) << content;
        return p;
    }

private:
    fs::path m_path;
};

// "line:col " of each error (warnings left out), in order.
// Reads Markdown text as "s.md" with media relative to `dir`.
inline sw::timeline::Project read_md(const std::string& text, sw::core::Diagnostics& d, const fs::path& dir = ".",
                                     sw::script::Format f = sw::script::Format::Markdown)
{
    auto r = sw::script::read_script_text(text, "s.md", f, dir, d);
    EXPECT_TRUE(r.has_value());
    return r ? *r : sw::timeline::Project{};
}

inline std::string locs(const sw::core::Diagnostics& d)
{
    std::string s;
    for (auto& i : d.items())
        if (i.severity == sw::core::Severity::Error)
            s += std::to_string(i.where.line) + ":" + std::to_string(i.where.col) + " ";
    return s;
}

}  // namespace swtest

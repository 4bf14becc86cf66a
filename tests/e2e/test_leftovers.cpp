// Leftovers of a render killed with SIGKILL (no handler runs): the segment cache's half-written
// segments in tmp/, the working folder of a render without the cache and the ".OUT.part-PID.mp4"
// a join writes beside the output. The next render removes those whose process is gone — and
// never a file a live shotweave is writing.

#include <signal.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <thread>

#include "e2e_common.h"

extern char** environ;

using namespace sw::test;

namespace {

// A child process started in the background, killed (SIGKILL) and reaped by the destructor.
class Child {
public:
    explicit Child(const std::vector<std::string>& argv)
    {
        std::vector<char*> args;
        for (auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
        if (posix_spawn(&m_pid, args[0], &fa, nullptr, args.data(), environ) != 0)
            m_pid = -1;
        posix_spawn_file_actions_destroy(&fa);
    }
    ~Child() { kill9(); }
    pid_t pid() const { return m_pid; }
    void kill9()
    {
        if (m_pid > 0) {
            ::kill(m_pid, SIGKILL);
            ::waitpid(m_pid, nullptr, 0);
            m_pid = -1;
        }
    }

private:
    pid_t m_pid = -1;
};

// Files (and folders) in `dir` whose names contain `part`.
std::vector<fs::path> entries(const fs::path& dir, const std::string& part)
{
    std::vector<fs::path> found;
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().filename().string().find(part) != std::string::npos)
            found.push_back(it->path());
    return found;
}

// Polls until `ready` (up to 60 s).
bool wait_for(const std::function<bool()>& ready)
{
    for (int i = 0; i < 6000; ++i) {
        if (ready())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

int64_t video_frames(const fs::path& mp4)
{
    auto v = stream(probe(mp4), "video");
    return v.is_null() ? -1 : std::stoll(v.value("nb_read_frames", std::string("-1")));
}

class Leftovers : public ::testing::Test {
protected:
    void SetUp() override
    {
        // Long enough (6 s at 640x360, a slow preset, one worker) to be killed while encoding.
        make_video(dir / "src.mp4", "testsrc2=s=640x360", 6.0);
        write_file(dir / "long.md", "---\nsize: 640x360\n---\n# One\nsrc.mp4\nduration: 6s\n");
    }

    std::vector<std::string> render_args(std::vector<std::string> extra) const
    {
        std::vector<std::string> a{cli(), "render", (dir / "long.md").string(), "-o", (dir / "out.mp4").string(),
                                   "-q", "--threads", "1", "--preset", "slower"};
        a.insert(a.end(), extra.begin(), extra.end());
        return a;
    }

    TempDir dir{"leftovers"};
};

}  // namespace

TEST_F(Leftovers, KilledRenderWithCacheIsCleanedByTheNext)
{
    const fs::path cache = dir / "cache";
    auto args = render_args({"--cache-dir", cache.string()});
    pid_t killed;
    {
        Child c(args);
        ASSERT_GT(c.pid(), 0);
        killed = c.pid();
        ASSERT_TRUE(wait_for([&] {
            for (auto& f : entries(cache / "tmp", "."))
                if (std::error_code ec; fs::file_size(f, ec) > 0)
                    return true;
            return false;
        })) << "no segment was being written";
        c.kill9();
    }
    ASSERT_FALSE(entries(cache / "tmp", std::to_string(killed)).empty()) << "the killed render left nothing";
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(entries(cache / "tmp", std::to_string(killed)).empty()) << "the killed render's segments stayed";
    EXPECT_EQ(video_frames(dir / "out.mp4"), 180);
    EXPECT_TRUE(entries(dir.path(), ".part-").empty());
}

TEST_F(Leftovers, KilledRenderWithoutCacheIsCleanedByTheNext)
{
    auto args = render_args({"--no-cache"});
    pid_t killed;
    {
        Child c(args);
        ASSERT_GT(c.pid(), 0);
        killed = c.pid();
        ASSERT_TRUE(wait_for([&] {
            for (auto& d : entries(dir.path(), ".segments-"))
                if (!entries(d, "segment").empty())
                    return true;
            return false;
        })) << "no segment was being written";
        c.kill9();
    }
    ASSERT_FALSE(entries(dir.path(), ".segments-").empty());
    // What a kill during the join leaves: the joined video's part file, named with the PID.
    const fs::path part = dir / (".out.mp4.part-" + std::to_string(killed) + ".mp4");
    write_file(part, std::string(1 << 20, 'x'));
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(entries(dir.path(), ".segments-").empty()) << "the working folder stayed";
    EXPECT_FALSE(fs::exists(part)) << "the part file stayed";
    EXPECT_EQ(video_frames(dir / "out.mp4"), 180);
}

// The rule (docs/cache.md): a temporary whose PID is a live process running shotweave is kept;
// a PID that is gone, or that now belongs to another program (reused after a crash), is stale.
TEST_F(Leftovers, LiveShotweavesFilesAreKept)
{
    // A process whose name is "shotweave" (sleep run through a link of that name).
    fs::create_symlink("/bin/sleep", dir / "shotweave");
    Child live({(dir / "shotweave").string(), "60"});
    Child other({"/bin/sleep", "60"});
    ASSERT_GT(live.pid(), 0);
    ASSERT_GT(other.pid(), 0);
    ASSERT_TRUE(wait_for([&] { return read_file("/proc/" + std::to_string(live.pid()) + "/comm") == "shotweave\n"; }));
    const fs::path kept = dir / (".out.mp4.part-" + std::to_string(live.pid()) + ".mp4");
    const fs::path reused = dir / (".out.mp4.part-" + std::to_string(other.pid()) + ".mp4");
    write_file(kept, "x");
    write_file(reused, "x");
    write_file(dir / "short.md", "---\nsize: 160x120\n---\n# One\nvisual: card\nduration: 0.5s\n");
    auto r = run({cli(), "render", (dir / "short.md").string(), "-o", (dir / "out.mp4").string(), "-q", "--no-cache"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(fs::exists(kept)) << "a live shotweave's part file was removed";
    EXPECT_FALSE(fs::exists(reused)) << "a part file whose PID another program now has stayed";
}

// `shotweave library index|search`: thin front end over library::Library.

#include "library_cmd.h"

#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/text_util.h"
#include "library/library.h"

namespace sw::cli {

namespace {

using core::kExitInput;
using core::kExitOk;

const char* kLibraryUsage =
    "usage: shotweave library index DIR\n"
    "       shotweave library search DIR \"QUERY\" [--json] [--limit N]\n";

int usage_error(const std::string& msg)
{
    std::fprintf(stderr, "shotweave: %s\n%s", msg.c_str(), kLibraryUsage);
    return kExitInput;
}

int fail(const core::Error& e)
{
    std::fprintf(stderr, "shotweave: %s\n", e.to_string().c_str());
    return core::exit_code_for(e.category);
}

std::string seconds(int64_t us)
{
    if (us < 0)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", double(us) / 1e6);
    return buf;
}


int cmd_index(const std::vector<std::string>& args)
{
    if (args.empty())
        return usage_error("library index: which folder? e.g. `shotweave library index ~/Footage`");
    if (args.size() > 1)
        return usage_error("library index: one folder at a time (got \"" + args[1] + "\" too)");
    if (!args[0].empty() && args[0][0] == '-')
        return usage_error("library index: unknown option " + args[0]);
    auto lib = library::Library::open(args[0]);
    if (!lib)
        return fail(lib.error());
    auto stats = lib->update();
    if (!stats)
        return fail(stats.error());
    std::printf("indexed %zu new or changed, %zu unchanged, %zu removed, %zu skipped — %zu assets in %s\n",
                stats->indexed, stats->unchanged, stats->removed, stats->skipped.size(), stats->total,
                lib->root().c_str());
    std::printf("index: %s\n", stats->db_path.c_str());
    for (auto& s : stats->skipped)
        std::printf("skipped %s: %s\n", s.rel_path.c_str(), s.reason.c_str());
    for (auto& n : stats->notes)
        std::printf("note: %s\n", n.c_str());
    return kExitOk;
}

int cmd_search(const std::vector<std::string>& args)
{
    std::vector<std::string> positional;
    bool json = false;
    size_t limit = 20;
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--json") {
            json = true;
        } else if (a == "--limit") {
            char* end = nullptr;
            long n = i + 1 < args.size() ? std::strtol(args[i + 1].c_str(), &end, 10) : -1;
            if (i + 1 >= args.size() || *end || n < 1 || n > 10000)
                return usage_error("library search: --limit needs a number from 1 to 10000, e.g. --limit 5");
            limit = (size_t)n;
            ++i;
        } else if (a.size() > 1 && a[0] == '-' && a[1] == '-') {
            return usage_error("library search: unknown option " + a);
        } else {
            positional.push_back(a);
        }
    }
    if (positional.size() < 2)
        return usage_error(positional.empty()
                               ? "library search: which folder and what? e.g. `shotweave library search ~/Footage \"冰雕 night\"`"
                               : "library search: what to look for? e.g. `shotweave library search " + positional[0] +
                                     " \"冰雕 night\"`");
    // Several words without quotes are one query: `search DIR snow night` = "snow night".
    std::string query;
    for (size_t i = 1; i < positional.size(); ++i)
        query += (query.empty() ? "" : " ") + positional[i];

    auto lib = library::Library::open(positional[0]);
    if (!lib)
        return fail(lib.error());
    auto stats = lib->update();
    if (!stats)
        return fail(stats.error());
    if (stats->indexed || stats->removed)
        std::fprintf(stderr, "library: indexed %zu, removed %zu (%zu assets)\n", stats->indexed, stats->removed,
                     stats->total);
    if (!stats->skipped.empty())
        std::fprintf(stderr, "library: %zu file(s) skipped — `shotweave library index %s` lists why\n",
                     stats->skipped.size(), positional[0].c_str());
    for (auto& n : stats->notes)
        std::fprintf(stderr, "note: %s\n", n.c_str());

    library::SearchOptions so;
    so.limit = limit;
    auto hits = lib->search(query, so);
    if (!hits)
        return fail(hits.error());

    if (json) {
        nlohmann::json results = nlohmann::json::array();
        for (auto& h : *hits) {
            const auto& a = h.asset;
            nlohmann::json r{{"path", a.path.string()},
                             {"rel_path", a.rel_path},
                             {"score", std::round(h.score * 1000) / 1000},
                             {"kind", library::to_string(a.kind)},
                             {"width", a.width},
                             {"height", a.height},
                             {"duration_s", a.duration_us >= 0 ? nlohmann::json(double(a.duration_us) / 1e6) : nlohmann::json()},
                             {"fps", a.fps.num > 0 ? nlohmann::json(a.fps.to_double()) : nlohmann::json()},
                             {"has_audio", a.has_audio},
                             {"size_bytes", a.size_bytes},
                             {"matched_terms", h.matched_terms},
                             {"description", a.description},
                             {"tags", a.tags}};
            results.push_back(std::move(r));
        }
        nlohmann::json skipped = nlohmann::json::array();
        for (auto& s : stats->skipped)
            skipped.push_back({{"path", s.rel_path}, {"reason", s.reason}});
        nlohmann::json out{{"library", lib->root().string()},
                           {"index", lib->db_path().string()},
                           {"query", query},
                           {"results", results},
                           {"skipped", skipped}};
        std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        return kExitOk;
    }
    if (hits->empty()) {
        std::fprintf(stderr, "no matches for \"%s\" in %s\n", query.c_str(), lib->root().c_str());
        return kExitOk;
    }
    std::printf("%-5s  %-5s  %-9s  %6s  %s  %s\n", "score", "kind", "size", "length", "path", "matched");
    for (auto& h : *hits) {
        const auto& a = h.asset;
        std::string size = std::to_string(a.width) + "x" + std::to_string(a.height);
        std::printf("%.2f   %-5s  %-9s  %6s  %s  %s\n", h.score, library::to_string(a.kind), size.c_str(),
                    seconds(a.duration_us).c_str(), a.rel_path.c_str(), core::join(h.matched_terms, ", ").c_str());
    }
    return kExitOk;
}

}  // namespace

int cmd_library(const std::vector<std::string>& args)
{
    if (args.empty())
        return usage_error("library: index or search?");
    std::vector<std::string> rest(args.begin() + 1, args.end());
    if (args[0] == "index")
        return cmd_index(rest);
    if (args[0] == "search")
        return cmd_search(rest);
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::fputs(kLibraryUsage, stdout);
        return kExitOk;
    }
    std::string s = core::did_you_mean(args[0], {"index", "search"});
    return usage_error("library: unknown subcommand \"" + args[0] + "\"" +
                       (s.empty() ? "" : "; did you mean \"" + s + "\"?"));
}

}  // namespace sw::cli

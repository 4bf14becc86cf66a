// `shotweave draft`: option parsing and printing over engine::draft_script (docs/draft.md).

#include "draft_cmd.h"

#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <map>

#include "core/cancel.h"
#include "core/text_util.h"
#include "engine/draft.h"
#include "options.h"

namespace sw::cli {

namespace fs = std::filesystem;

int cmd_draft(const std::vector<std::string>& args)
{
    engine::DraftRequest req;
    bool json = false, quiet = false;
    std::string output;
    std::string length;
    // The options that take a value: where it goes, and an example for the message when missing.
    const std::map<std::string, std::pair<std::string*, const char*>> valued = {
        {"-o", {&output, "harbin.md"}},       {"--output", {&output, "harbin.md"}},
        {"--length", {&length, "60s"}},       {"--voice", {&req.voice, "\"zh rate=190\""}},
        {"--size", {&req.size, "9:16"}},
    };
    std::string article, library, config;
    const std::map<std::string, std::pair<std::string*, const char*>> paths = {
        {"--from", {&article, "article.txt"}}, {"--library", {&library, "~/Footage"}}, {"--config", {&config, "shotweave.toml"}}};
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        auto v = valued.find(a);
        auto p = paths.find(a);
        if (v != valued.end() || p != paths.end()) {
            const auto& [target, example] = v != valued.end() ? v->second : p->second;
            if (i + 1 >= args.size())
                return usage_error("draft: " + a + " needs a value, e.g. " + a + " " + example);
            *target = args[++i];
        } else if (a == "--json") {
            json = true;
        } else if (a == "--force") {
            req.force = true;
        } else if (a == "-q" || a == "--quiet") {
            quiet = true;
        } else if (!a.empty() && a[0] == '-' && a.size() > 1) {
            return usage_error("draft: unknown option " + a);
        } else if (req.topic.empty()) {
            req.topic = a;
        } else {
            return usage_error("draft: more than one topic given — put the topic in quotes");
        }
    }
    req.article = article;
    req.library = library;
    req.config = config;
    if (!length.empty()) {
        char* end = nullptr;
        double s = std::strtod(length.c_str(), &end);
        std::optional<double> parsed = end && !*end && end != length.c_str() ? std::optional<double>(s)
                                                                             : engine::length_in_topic(length);
        if (!parsed || *parsed <= 0)
            return usage_error("draft: --length " + length + ": write seconds or minutes, e.g. --length 60s or --length 2min");
        req.seconds = *parsed;
    }
    if (req.topic.empty() && req.article.empty())
        return usage_error("draft: about what? e.g. `shotweave draft \"哈尔滨冬季旅游，60秒\" -o harbin.md` or "
                           "`shotweave draft --from article.txt -o article.md`");
    if (output.empty()) {
        if (req.article.empty())
            return usage_error("draft: where should the script go? add -o NAME.md");
        fs::path a = req.article;
        output = a.replace_extension(json ? ".json" : ".md").string();
        if (output == req.article.string())
            return usage_error("draft: the article is already " + output + "; name the script with -o");
    } else if (json && fs::path(output).extension() != ".json") {
        return usage_error("draft: --json writes the JSON form: name the output .json (or leave out --json for Markdown)");
    }
    req.output = output;
    if (!quiet)
        req.on_note = [](const std::string& s) { std::fprintf(stderr, "draft: %s\n", s.c_str()); };

    core::install_signal_handlers();
    engine::Engine eng({.use_cache = false});
    engine::DraftResult r = engine::draft_script(eng, req);
    for (const auto& n : r.notes)
        std::fprintf(stderr, "draft: note: %s\n", n.c_str());
    if (r.outcome == engine::Outcome::Cancelled) {
        std::fprintf(stderr, "shotweave: interrupted; nothing written\n");
        return 128 + (core::cancel_signal() ? core::cancel_signal() : 2);
    }
    print_diagnostics(r.diag);
    if (r.outcome != engine::Outcome::Done) {
        if (r.error)
            std::fprintf(stderr, "shotweave: %s\n", r.error->to_string().c_str());
        return r.error ? core::exit_code_for(r.error->category) : engine::exit_code(r.outcome);
    }
    std::fprintf(stderr, "wrote %s: %d shot%s, %s s (%d answer%s from the model; settings from %s)\n", r.output.c_str(),
                 r.shots, r.shots == 1 ? "" : "s", core::format_number(std::round(r.total_s * 10) / 10).c_str(), r.questions,
                 r.questions == 1 ? "" : "s", r.config_origin.c_str());
    std::fprintf(stderr, "edit it, then: shotweave check %s && shotweave render %s\n", r.output.c_str(), r.output.c_str());
    return core::kExitOk;
}

}  // namespace sw::cli

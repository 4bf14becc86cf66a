// `shotweave draft`: option parsing and printing over engine::draft_script (docs/draft.md).

#include "draft_cmd.h"

#include <cstdio>
#include <cmath>
#include <cstdlib>

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
    for (size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        const std::string* v = i + 1 < args.size() ? &args[i + 1] : nullptr;
        auto value = [&](const char* example) -> const std::string* {
            if (!v) {
                usage_error("draft: " + a + " needs a value, e.g. " + a + " " + example);
                return nullptr;
            }
            ++i;
            return v;
        };
        if (a == "-o" || a == "--output") {
            auto* x = value("harbin.md");
            if (!x)
                return core::kExitInput;
            output = *x;
        } else if (a == "--from") {
            auto* x = value("article.txt");
            if (!x)
                return core::kExitInput;
            req.article = *x;
        } else if (a == "--length") {
            auto* x = value("60s");
            if (!x)
                return core::kExitInput;
            char* end = nullptr;
            double s = std::strtod(x->c_str(), &end);
            std::optional<double> parsed = (end && !*end && end != x->c_str()) ? std::optional<double>(s)
                                                                               : engine::length_in_topic(*x);
            if (!parsed || *parsed <= 0)
                return usage_error("draft: --length " + *x + ": write seconds or minutes, e.g. --length 60s or --length 2min");
            req.seconds = *parsed;
        } else if (a == "--voice") {
            auto* x = value("\"zh rate=190\"");
            if (!x)
                return core::kExitInput;
            req.voice = *x;
        } else if (a == "--library") {
            auto* x = value("~/Footage");
            if (!x)
                return core::kExitInput;
            req.library = *x;
        } else if (a == "--size") {
            auto* x = value("9:16");
            if (!x)
                return core::kExitInput;
            req.size = *x;
        } else if (a == "--config") {
            auto* x = value("shotweave.toml");
            if (!x)
                return core::kExitInput;
            req.config = *x;
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

// write_draft: one chat-completions request at a time over net/http.h, the answer parsed and
// checked, and the model asked again with what was wrong (bounded by max_retries).

#include <algorithm>
#include <chrono>

#include "core/text_util.h"
#include "draft/draft.h"
#include "net/http.h"

namespace sw::draft {

namespace {

using core::ErrorCategory;

// Larger answers are not scripts for a short video.
constexpr uint64_t kMaxAnswerBytes = 8u << 20;
// What of an earlier answer goes back into the conversation.
constexpr size_t kMaxEchoBytes = 40'000;

struct Answer {
    std::string content;
    bool truncated = false;  // finish_reason "length"
};

struct AskFailure {
    core::Error error;
    bool format_refused = false;  // the server does not take this response_format
};

// The server's own words from an error body: OpenAI-style {"error": {"message"}} or {"error": "…"}.
std::string server_message(const std::string& body)
{
    try {
        auto j = nlohmann::json::parse(body);
        if (j.contains("error")) {
            const auto& e = j["error"];
            if (e.is_string())
                return e.get<std::string>();
            if (e.is_object() && e.contains("message") && e["message"].is_string())
                return e["message"].get<std::string>();
        }
        if (j.contains("message") && j["message"].is_string())
            return j["message"].get<std::string>();
    } catch (const nlohmann::json::exception&) {
    }
    return body.substr(0, 300);
}

tl::expected<Answer, AskFailure> ask(const WriterConfig& config, const Json& body_json, const core::CancelToken* cancel,
                                     JsonMode mode)
{
    const std::string url = chat_url(config.url);
    const std::string body = body_json.dump(-1, ' ', false, Json::error_handler_t::replace);
    net::Redactor redact;
    net::Request rq;
    rq.url = url;
    rq.headers = {"Content-Type: application/json", "Accept: application/json", "Expect:"};
    if (!config.api_key.empty()) {
        rq.headers.push_back("Authorization: Bearer " + config.api_key);
        redact.add(config.api_key);
    }
    for (auto& [name, value] : config.headers) {
        rq.headers.push_back(name + ": " + value);
        redact.add(value);
    }
    rq.body = &body;
    rq.max_bytes = kMaxAnswerBytes;
    rq.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds((int64_t)(config.timeout_s * 1000));
    rq.connect_timeout_s = std::max(1L, std::min(30L, (long)config.timeout_s));
    if (cancel)
        rq.cancelled = [cancel] { return cancel->cancelled(); };
    auto fail = [&](ErrorCategory c, std::string what, std::string detail = {}) {
        return tl::unexpected(AskFailure{redact(core::Error{c, std::move(what), std::move(detail), {}}), false});
    };

    auto got = net::perform(rq);
    if (!got) {
        using K = net::Failure::Kind;
        switch (got.error().kind) {
        case K::Cancelled: return fail(ErrorCategory::Cancelled, "interrupted while the language model was writing");
        case K::Deadline:
            return fail(ErrorCategory::Media,
                        "the language model at " + url + " did not answer within " + core::format_number(config.timeout_s) +
                            " s — a large model on a small machine may need longer: raise timeout_s under [writer] in "
                            "shotweave.toml, or use a smaller model",
                        got.error().detail);
        case K::Unreachable:
            return fail(ErrorCategory::Media,
                        "cannot reach the language model at " + url + " — is the server running? Check " + kUrlEnv +
                            " (or `url` under [writer])",
                        got.error().detail);
        case K::TooLarge:
            return fail(ErrorCategory::Media, "the language model's answer is larger than " + net::human_bytes(kMaxAnswerBytes) +
                                                  " — that is no short script; check the server");
        default:
            return fail(ErrorCategory::Media, "the request to the language model at " + url + " failed — check the server and the network",
                        got.error().detail);
        }
    }
    const long status = got->status;
    if (status < 200 || status >= 300) {
        std::string said = server_message(got->body);
        std::string lower = core::to_lower_ascii(said);
        bool about_format = lower.find("response_format") != std::string::npos || lower.find("json_schema") != std::string::npos ||
                            lower.find("json_object") != std::string::npos || lower.find("schema") != std::string::npos ||
                            lower.find("structured") != std::string::npos;
        if ((status == 400 || status == 422 || status == 501) && mode != JsonMode::Prompt && about_format)
            return tl::unexpected(AskFailure{redact(core::Error{ErrorCategory::Media, said, {}, {}}), true});
        std::string hint = status == 401 || status == 403
                               ? " — check the API key (" + config.api_key_env + ")"
                           : status == 404 ? " — check the URL (" + std::string(kUrlEnv) + ", the server root or …/v1) and the model name (" + config.model + ")"
                           : status == 429 ? " — the service is rate-limiting or out of quota; wait and try again"
                                           : " — check the server's log";
        return fail(ErrorCategory::Media, "the language model at " + url + " answered HTTP " + std::to_string(status) + ": " + said + hint);
    }
    Answer a;
    try {
        auto j = nlohmann::json::parse(got->body);
        const auto& choice = j.at("choices").at(0);
        const auto& msg = choice.at("message");
        if (msg.contains("content") && msg["content"].is_string())
            a.content = msg["content"].get<std::string>();
        else if (msg.contains("content") && msg["content"].is_array())  // content parts
            for (const auto& part : msg["content"])
                if (part.is_object() && part.contains("text") && part["text"].is_string())
                    a.content += part["text"].get<std::string>();
        if (a.content.empty() && msg.contains("refusal") && msg["refusal"].is_string())
            return fail(ErrorCategory::Media, "the language model refused: " + msg["refusal"].get<std::string>());
        a.truncated = choice.contains("finish_reason") && choice["finish_reason"] == "length";
    } catch (const nlohmann::json::exception&) {
        return fail(ErrorCategory::Media,
                    "the server at " + url + " did not answer like an OpenAI-compatible chat-completions API (no "
                    "choices[0].message) — check the URL",
                    got->body.substr(0, 300));
    }
    return a;
}

std::string numbered(const std::vector<std::string>& items)
{
    std::string s;
    for (size_t i = 0; i < items.size(); ++i)
        s += std::to_string(i + 1) + ". " + items[i] + "\n";
    return s;
}

}  // namespace

core::Result<Result> write_draft(const WriterConfig& config, const Brief& brief, const Checker& check,
                                 const core::CancelToken* cancel, const Note& note_in)
{
    const Note note = note_in ? note_in : [](const std::string&) {};
    Result r;
    Json messages = initial_messages(brief);
    JsonMode mode = config.json_mode;
    std::vector<std::string> last_problems;
    std::optional<Result> valid_but_long;  // a valid answer whose length was off, kept in case later ones fail
    int asked = 0;  // answers received
    while (asked <= config.max_retries) {
        if (cancel && cancel->cancelled())
            return core::make_error(ErrorCategory::Cancelled, "interrupted");
        note(asked == 0 ? "asking " + config.model + " at " + chat_url(config.url) + " (" + to_string(mode) + " mode)"
                        : "asking again (" + std::to_string(asked) + " of " + std::to_string(config.max_retries) + ")");
        auto got = ask(config, request_body(config, messages, mode), cancel, mode);
        if (!got) {
            if (got.error().format_refused) {
                JsonMode next = mode == JsonMode::Schema ? JsonMode::Object : JsonMode::Prompt;
                r.notes.push_back(std::string("the server does not take response_format ") +
                                  (mode == JsonMode::Schema ? "json_schema" : "json_object") + " (\"" +
                                  got.error().error.message.substr(0, 160) + "\"); asked with " +
                                  (next == JsonMode::Object ? "json_object" : "the schema in the prompt only") +
                                  " — set json_mode = \"" + to_string(next) + "\" under [writer] to skip this");
                note(r.notes.back());
                mode = next;
                continue;
            }
            return tl::unexpected(got.error().error);
        }
        ++asked;
        r.questions = asked;
        std::vector<std::string> problems;
        std::optional<std::string> length;
        auto parsed = parse_answer(got->content, got->truncated);
        if (!parsed) {
            problems.push_back(parsed.error());
        } else {
            Json script = parsed->script;
            apply_brief(script, brief);
            CheckReport report = check(script);
            problems = report.errors;
            if (problems.empty()) {
                length = length_feedback(brief, report);
                if (!length || asked > config.max_retries) {
                    for (auto& rep : parsed->repairs)
                        r.notes.push_back("repaired the answer: " + rep);
                    if (length)
                        r.notes.push_back(*length + " (after " + std::to_string(asked) +
                                          " answers: edit the narration, or run draft again)");
                    r.script = std::move(script);
                    r.report = std::move(report);
                    return r;
                }
                valid_but_long = r;
                for (auto& rep : parsed->repairs)
                    valid_but_long->notes.push_back("repaired the answer: " + rep);
                valid_but_long->notes.push_back(*length + " (the later answers were not valid: edit the narration)");
                valid_but_long->script = script;
                valid_but_long->report = report;
            }
        }
        if (!problems.empty()) {
            note("answer " + std::to_string(asked) + ": " + std::to_string(problems.size()) + " problem" +
                 (problems.size() == 1 ? "" : "s") + ": " + problems.front());
            last_problems = problems;
        } else {
            note("answer " + std::to_string(asked) + ": " + *length);
        }
        if (asked > config.max_retries)
            break;
        std::string echo = got->content.substr(0, kMaxEchoBytes);
        messages.push_back(Json{{"role", "assistant"}, {"content", echo.empty() ? std::string("(empty)") : echo}});
        std::string ask_again =
            problems.empty()
                ? "The script is valid, but " + *length + ". Answer again with the whole script as one JSON object."
                : "Your answer cannot be used as it is:\n" + numbered(problems) +
                      "Answer again with the whole corrected script as one JSON object matching the schema, nothing else.";
        messages.push_back(Json{{"role", "user"}, {"content", ask_again}});
    }
    if (valid_but_long) {
        valid_but_long->questions = asked;
        return std::move(*valid_but_long);
    }
    std::string list;
    for (size_t i = 0; i < last_problems.size() && i < 8; ++i)
        list += "\n  " + last_problems[i];
    if (last_problems.size() > 8)
        list += "\n  (and " + std::to_string(last_problems.size() - 8) + " more)";
    return core::make_error(ErrorCategory::Media,
                            "the language model gave no usable script in " + std::to_string(asked) + " answer" +
                                (asked == 1 ? "" : "s") + " — try again, raise max_retries under [writer], or use a "
                                "larger model. The last answer's problems:" + list);
}

}  // namespace sw::draft

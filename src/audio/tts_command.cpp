// CommandEngine: runs a user's TTS program with fork/exec (never through a shell, so narration
// text cannot inject commands) and reads the WAV it writes.

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "audio/tts.h"
#include "audio/tts_timing.h"
#include "core/process.h"

namespace sw::audio {

namespace fs = std::filesystem;

core::Result<std::vector<std::string>> split_command_line(const std::string& cmd)
{
    std::vector<std::string> args;
    std::string cur;
    bool in_arg = false;
    char quote = 0;
    for (size_t i = 0; i < cmd.size(); ++i) {
        char c = cmd[i];
        if (quote == '\'') {
            if (c == '\'')
                quote = 0;
            else
                cur += c;
        } else if (quote == '"') {
            if (c == '"')
                quote = 0;
            else if (c == '\\' && i + 1 < cmd.size() && (cmd[i + 1] == '"' || cmd[i + 1] == '\\'))
                cur += cmd[++i];
            else
                cur += c;
        } else if (c == '\'' || c == '"') {
            quote = c;
            in_arg = true;
        } else if (c == '\\' && i + 1 < cmd.size()) {
            cur += cmd[++i];
            in_arg = true;
        } else if (c == ' ' || c == '\t' || c == '\n') {
            if (in_arg)
                args.push_back(std::move(cur));
            cur.clear();
            in_arg = false;
        } else {
            cur += c;
            in_arg = true;
        }
    }
    if (quote)
        return core::make_error(core::ErrorCategory::Script,
                                std::string("the TTS command template has an unclosed ") + quote +
                                    " quote — close it: " + cmd);
    if (in_arg)
        args.push_back(std::move(cur));
    if (args.empty())
        return core::make_error(core::ErrorCategory::Script, "the TTS command template is empty — "
                                                             "give a program, e.g. \"piper --output_file {output}\"");
    return args;
}

namespace {

std::string replace_all(std::string s, const std::string& from, const std::string& to)
{
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

// A private temporary directory, removed with everything in it when this goes out of scope.
struct TempDir {
    std::string path;
    TempDir()
    {
        std::string tmpl = (fs::temp_directory_path() / "shotweave-tts-XXXXXX").string();
        if (::mkdtemp(tmpl.data()))
            path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        if (!path.empty())
            fs::remove_all(path, ec);
    }
};

std::string last_lines(const std::string& s, int n)
{
    size_t end = s.size();
    while (end > 0 && (s[end - 1] == '\n' || s[end - 1] == '\r'))
        --end;
    size_t pos = end;
    for (int k = 0; k < n && pos > 0; ++k) {
        size_t nl = s.rfind('\n', pos - 1);
        pos = nl == std::string::npos ? 0 : nl;
        if (pos == 0)
            break;
    }
    return s.substr(pos == 0 ? 0 : pos + 1, end - (pos == 0 ? 0 : pos + 1));
}

}  // namespace

CommandEngine::CommandEngine(CommandEngineOptions options) : m_options(std::move(options)) {}

std::string CommandEngine::id() const { return "command/" + m_options.command_template; }

core::Result<Speech> CommandEngine::synthesize(const SpeechRequest& req)
{
    auto tmpl_args = SW_TRY(split_command_line(m_options.command_template));
    TempDir dir;
    if (dir.path.empty())
        return core::make_error(core::ErrorCategory::Io, "cannot create a temporary directory for the TTS command",
                                std::strerror(errno));
    std::string output = dir.path + "/speech.wav";
    std::string text_file = dir.path + "/text.txt";
    {
        std::ofstream tf(text_file, std::ios::binary);
        tf << req.text;
    }
    std::vector<std::string> args;
    for (auto& a : tmpl_args) {
        std::string s = replace_all(a, "{text_file}", text_file);
        s = replace_all(s, "{output}", output);
        s = replace_all(s, "{voice}", req.voice);
        s = replace_all(s, "{rate}", std::to_string(req.rate_wpm > 0 ? req.rate_wpm : 175));  // 175 wpm: a usual default speaking rate
        s = replace_all(s, "{text}", req.text);  // last: the text itself may contain braces
        args.push_back(std::move(s));
    }
    core::ProcessSpec spec;
    spec.argv = args;
    spec.deadline = std::chrono::steady_clock::now() + std::chrono::seconds(m_options.timeout_s);
    auto run = core::run_process(spec);
    if (!run) {
        if (run.error().kind != core::ProcessFailure::Kind::Exec)
            return core::make_error(core::ErrorCategory::Io, "cannot run the TTS command", run.error().message());
        return core::make_error(core::ErrorCategory::Input,
                                "the TTS command \"" + args[0] + "\" could not be started — check that it is "
                                "installed and on PATH, or fix the command template",
                                run.error().message());
    }
    const bool timed_out = run->stop != core::ProcessResult::Stop::None;
    const int status = run->status;
    const std::string& err_text = run->stderr_text;
    if (timed_out)
        return core::make_error(core::ErrorCategory::Media,
                                "TTS command timed out after " + std::to_string(m_options.timeout_s) +
                                    " s — raise the timeout or check that \"" + args[0] + "\" works on its own",
                                last_lines(err_text, 5));
    if (!core::exited_ok(status)) {
        const std::string how = core::describe_exit(status, "status");
        std::string tail = last_lines(err_text, 5);
        return core::make_error(core::ErrorCategory::Media,
                                "the TTS command \"" + args[0] + "\" " + how +
                                    (tail.empty() ? std::string() : ": " + tail) +
                                    " — run it by hand to see what is wrong",
                                tail);
    }
    if (!fs::exists(output))
        return core::make_error(core::ErrorCategory::Media,
                                "the TTS command \"" + args[0] + "\" did not write {output} — put {output} in the "
                                "template where the program expects its WAV output path");
    std::ifstream wav_in(output, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(wav_in)), std::istreambuf_iterator<char>());
    Speech speech;
    speech.samples = SW_TRY(decode_wav(bytes, "the WAV written by the TTS command \"" + args[0] + "\""));
    speech.sentences = estimate_sentence_timings(speech.samples, req.text);
    speech.timings_exact = false;
    return speech;
}

}  // namespace sw::audio

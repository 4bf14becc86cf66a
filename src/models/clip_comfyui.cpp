// comfyui: a ComfyUI server running an API-format workflow (File → Export (API) in ComfyUI).
//
// The flow:
//   1. The workflow JSON (config.workflow) is read once when the adapter is made. Per clip, every
//      string value gets the placeholders substituted; a string that is exactly one numeric
//      placeholder ("{width}", "{frames}", "{seed}", ...) becomes a JSON number.
//   2. A first/last frame is uploaded with POST /upload/image (multipart, field "image",
//      overwrite=true, type=input) → {"name": "...", "subfolder": "...", "type": "input"}; the
//      returned name ("subfolder/name" when there is a subfolder) replaces {init_image} / {end_image}.
//      Without one, every node that uses {init_image}/{end_image} is removed, links to it from
//      optional image inputs (start_image, end_image, clip_vision_output, ...) are dropped, and a
//      node that needed it otherwise is removed too — so one workflow serves text-to-video and
//      image-to-video (e.g. WanImageToVideo without start_image).
//   3. POST /prompt {"prompt": <workflow>, "client_id": "<uuid>"} → {"prompt_id": "..."}.
//   4. GET /history/{prompt_id} until the id appears ({} before). status.status_str == "error" →
//      failure with the execution_error messages; otherwise the outputs' "images" (SaveWEBM,
//      SaveAnimatedWEBP, SaveVideo, SaveImage), "gifs" (VideoHelperSuite) or "videos" entries
//      {filename, subfolder, type} name the result: a video file is preferred, else the PNGs as a
//      sequence.
//   5. GET /view?filename=&subfolder=&type= downloads it into the work folder.

#include <random>
#include <set>

#include "core/file.h"
#include "core/hash.h"
#include "models/clip_http.h"

namespace sw::models {

namespace {

using nlohmann::json;

constexpr const char* kAbsent = "\x01sw-absent-image\x01";

// Inputs that ComfyUI's Wan/video nodes treat as optional images (or derived from one).
bool optional_image_input(const std::string& name)
{
    static const std::set<std::string> names = {"start_image",        "end_image",          "clip_vision_output",
                                                "clip_vision_start_image", "clip_vision_end_image", "image_embeds",
                                                "init_image",         "reference_image",    "control_video"};
    return names.count(name) > 0;
}

std::string uuid4()
{
    std::random_device rd;
    std::mt19937_64 gen((uint64_t(rd()) << 32) ^ rd());
    uint64_t a = gen(), b = gen();
    a = (a & 0xffffffffffff0fffull) | 0x0000000000004000ull;
    b = (b & 0x3fffffffffffffffull) | 0x8000000000000000ull;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx", unsigned(a >> 32), unsigned((a >> 16) & 0xffff),
                  unsigned(a & 0xffff), unsigned(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffull));
    return buf;
}

bool is_video_name(const std::string& f)
{
    auto ext = fs::path(f).extension().string();
    for (char& c : ext)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return ext == ".webm" || ext == ".mp4" || ext == ".webp" || ext == ".gif" || ext == ".avi" || ext == ".mkv" ||
           ext == ".mov";
}

class ComfyuiAdapter final : public http::Adapter {
public:
    ComfyuiAdapter(GeneratorConfig config, json workflow, std::string workflow_hash)
        : http::Adapter(std::move(config)), m_workflow(std::move(workflow)), m_hash(std::move(workflow_hash))
    {
    }

    std::string kind() const override { return "comfyui"; }
    std::string id() const override
    {
        return "comfyui:" + m_config.base_url + ":" + m_config.workflow.filename().string() + "@" + m_hash + ":" +
               m_config.model;
    }

private:
    core::Result<std::string> upload(http::Client& client, const fs::path& image)
    {
        std::error_code ec;
        if (!fs::is_regular_file(image, ec))
            return tl::unexpected(client.failure(core::ErrorCategory::Input,
                                                 "the frame image " + image.string() + " does not exist"));
        std::string u = client.url("/upload/image");
        auto answer = SW_TRY(client.post_file(u, "image", image, {{"overwrite", "true"}, {"type", "input"}}));
        json doc = SW_TRY(client.parse_json(answer, u));
        auto name = http::json_at(doc, "/name");
        if (!name || name->empty())
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "ComfyUI's upload answer has no name: " + answer.body.substr(0, 300)));
        std::string sub = http::json_at(doc, "/subfolder").value_or("");
        return sub.empty() ? *name : sub + "/" + *name;
    }

    // Substitutes placeholders in every string; exact numeric placeholders become numbers.
    void fill(json& node, const ClipRequest& req, const std::map<std::string, std::string>& more)
    {
        static const std::set<std::string> textual = {"{prompt}", "{negative}", "{init_image}", "{end_image}",
                                                      "{model}"};
        if (node.is_object() || node.is_array()) {
            for (auto& child : node)
                fill(child, req, more);
        } else if (node.is_string()) {
            const std::string& s = node.get_ref<const std::string&>();
            if (s.find('{') == std::string::npos)
                return;
            std::string v = http::substitute(s, req, m_config, false, more);
            bool exact = s.size() > 2 && s.front() == '{' && s.back() == '}' &&
                         s.find('{', 1) == std::string::npos && !textual.count(s);
            if (exact && v.find(kAbsent) == std::string::npos) {
                json typed = http::typed_value(v);
                if (typed.is_number()) {
                    node = typed;
                    return;
                }
            }
            node = v;
        }
    }

    // Removes nodes that use an absent image, and what depended on them (see the file comment).
    static void prune_absent(json& wf)
    {
        std::set<std::string> removed;
        for (auto it = wf.begin(); it != wf.end(); ++it) {
            if (!it->is_object() || !it->contains("inputs"))
                continue;
            for (auto& [k, v] : (*it)["inputs"].items())
                if (v.is_string() && v.get_ref<const std::string&>().find(kAbsent) != std::string::npos)
                    removed.insert(it.key());
        }
        bool changed = !removed.empty();
        while (changed) {
            changed = false;
            for (auto it = wf.begin(); it != wf.end(); ++it) {
                if (removed.count(it.key()) || !it->is_object() || !it->contains("inputs"))
                    continue;
                auto& inputs = (*it)["inputs"];
                std::vector<std::string> drop;
                bool dead = false;
                for (auto& [k, v] : inputs.items()) {
                    if (v.is_array() && v.size() == 2 && v[0].is_string() && removed.count(v[0].get<std::string>())) {
                        if (optional_image_input(k))
                            drop.push_back(k);
                        else
                            dead = true;
                    }
                }
                for (const auto& k : drop)
                    inputs.erase(k);
                if (dead) {
                    removed.insert(it.key());
                    changed = true;
                }
            }
        }
        for (const auto& id : removed)
            wf.erase(id);
    }

    core::Result<fs::path> run(http::Client& client, const ClipRequest& req, const fs::path& work_dir,
                               const GenerateControl&) override
    {
        std::map<std::string, std::string> more;
        more["init_image"] = req.init_image.empty() ? std::string(kAbsent) : SW_TRY(upload(client, req.init_image));
        more["end_image"] = req.end_image.empty() ? std::string(kAbsent) : SW_TRY(upload(client, req.end_image));

        json wf = m_workflow;
        fill(wf, req, more);
        prune_absent(wf);

        std::string prompt_url = client.url("/prompt");
        json body = {{"prompt", wf}, {"client_id", uuid4()}};
        auto answer = SW_TRY(client.post_json(prompt_url, body.dump()));
        json queued = SW_TRY(client.parse_json(answer, prompt_url));
        std::string prompt_id = http::json_at(queued, "/prompt_id").value_or("");
        if (prompt_id.empty()) {
            std::string why = http::json_at(queued, "/error/message").value_or(answer.body.substr(0, 300));
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "ComfyUI did not queue the workflow: " + why +
                                                     " — check the workflow in " + m_config.workflow.string()));
        }

        std::string history_url = client.url("/history/" + http::url_encode(prompt_id));
        for (;;) {
            auto h = SW_TRY(client.get(history_url));
            json doc = SW_TRY(client.parse_json(h, history_url));
            if (doc.is_object() && doc.contains(prompt_id)) {
                const json& entry = doc[prompt_id];
                std::string status = http::json_at(entry, "/status/status_str").value_or("");
                if (status == "error")
                    return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                         "ComfyUI failed the workflow: " + error_messages(entry)));
                bool completed = http::json_at(entry, "/status/completed").value_or("true") == "true";
                bool has_outputs = entry.contains("outputs") && entry["outputs"].is_object() &&
                                   !entry["outputs"].empty();
                if (has_outputs && (completed || status == "success"))
                    return fetch(client, entry["outputs"], work_dir);
                if (completed && !has_outputs && status == "success")
                    return tl::unexpected(client.failure(
                        core::ErrorCategory::Media,
                        "the workflow finished without an output file — end it with a SaveWEBM, "
                        "SaveAnimatedWEBP, SaveVideo or VHS_VideoCombine node"));
            }
            SW_TRY_STATUS(client.wait_poll());
        }
    }

    static std::string error_messages(const json& entry)
    {
        std::string out;
        if (entry.contains("status") && entry["status"].contains("messages") && entry["status"]["messages"].is_array()) {
            for (const auto& m : entry["status"]["messages"]) {
                if (!m.is_array() || m.size() < 2 || !m[0].is_string())
                    continue;
                std::string type = m[0].get<std::string>();
                if (type != "execution_error" && type != "execution_interrupted")
                    continue;
                const json& d = m[1];
                std::string one = http::json_at(d, "/exception_message").value_or(type);
                if (auto nt = http::json_at(d, "/node_type"))
                    one = "node " + http::json_at(d, "/node_id").value_or("?") + " (" + *nt + "): " + one;
                while (!one.empty() && (one.back() == '\n' || one.back() == ' '))
                    one.pop_back();
                out += (out.empty() ? "" : "; ") + one;
            }
        }
        return out.empty() ? "no message (see the ComfyUI console)" : out;
    }

    struct OutFile {
        std::string filename, subfolder, type;
    };

    core::Result<fs::path> fetch(http::Client& client, const json& outputs, const fs::path& work_dir)
    {
        std::vector<OutFile> videos, stills;
        for (auto it = outputs.begin(); it != outputs.end(); ++it) {
            for (const char* list : {"images", "gifs", "videos"}) {
                if (!it->contains(list) || !(*it)[list].is_array())
                    continue;
                for (const auto& f : (*it)[list]) {
                    OutFile o{http::json_at(f, "/filename").value_or(""), http::json_at(f, "/subfolder").value_or(""),
                              http::json_at(f, "/type").value_or("output")};
                    if (o.filename.empty())
                        continue;
                    (is_video_name(o.filename) ? videos : stills).push_back(o);
                }
            }
        }
        auto view_url = [&](const OutFile& o) {
            return client.url("/view?filename=" + http::url_encode(o.filename) + "&subfolder=" +
                              http::url_encode(o.subfolder) + "&type=" + http::url_encode(o.type));
        };
        if (!videos.empty()) {
            // Prefer a saved output over a preview (type "temp").
            const OutFile* pick = &videos.front();
            for (const auto& v : videos)
                if (v.type == "output") {
                    pick = &v;
                    break;
                }
            fs::path tmp = work_dir / "out.download";
            SW_TRY_STATUS(client.download(view_url(*pick), tmp));
            std::string ext = fs::path(pick->filename).extension().string();
            return http::name_by_content(client, tmp, work_dir, ext.empty() ? "" : ext.substr(1));
        }
        if (stills.empty())
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "the workflow produced no file — end it with a SaveWEBM, "
                                                 "SaveAnimatedWEBP, SaveVideo or VHS_VideoCombine node"));
        fs::path first;
        for (size_t i = 0; i < stills.size(); ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "frame_%04zu.png", i + 1);
            SW_TRY_STATUS(client.download(view_url(stills[i]), work_dir / name));
            if (i == 0)
                first = work_dir / name;
        }
        return first;
    }

    json m_workflow;
    std::string m_hash;
};

}  // namespace

core::Result<std::unique_ptr<ClipAdapter>> make_comfyui_adapter(const GeneratorConfig& config)
{
    core::SourceLoc where{config.config_file.string()};
    if (config.base_url.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "generator '" + config.name + "' (comfyui) has no base_url — set base_url = "
                                "\"http://127.0.0.1:8188\" (where ComfyUI listens)",
                                {}, where);
    if (config.workflow.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "generator '" + config.name + "' (comfyui) has no workflow — set workflow = "
                                "\"my-workflow.json\" (exported with File → Export (API))",
                                {}, where);
    fs::path wf_path = config.workflow;
    if (wf_path.is_relative() && !config.config_file.empty())
        wf_path = config.config_file.parent_path() / wf_path;
    auto read = core::read_file(wf_path);
    if (!read)
        return core::make_error(core::ErrorCategory::Input,
                                "cannot read the ComfyUI workflow " + wf_path.string() +
                                    " — check the workflow path (relative to the config file)",
                                {}, where);
    const std::string& text = *read;
    nlohmann::json wf = nlohmann::json::parse(text, nullptr, false);
    if (wf.is_discarded() || !wf.is_object())
        return core::make_error(core::ErrorCategory::Input,
                                "the ComfyUI workflow " + wf_path.string() +
                                    " is not a JSON object — export it with File → Export (API)",
                                {}, where);
    if (wf.contains("nodes") && wf.contains("links"))
        return core::make_error(core::ErrorCategory::Input,
                                "the ComfyUI workflow " + wf_path.string() +
                                    " is in the UI format — export it with File → Export (API) instead",
                                {}, where);
    GeneratorConfig c = config;
    c.workflow = wf_path;
    return std::unique_ptr<ClipAdapter>(new ComfyuiAdapter(std::move(c), std::move(wf), core::fnv1a64_hex(text)));
}

}  // namespace sw::models

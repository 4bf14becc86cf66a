// sdcpp-server: stable-diffusion.cpp's HTTP server (`sd-server`) in video mode.
//
// The protocol, as implemented here (sd-server's native /sdcpp/v1 API; field names from its
// clients' code, since the server documents little — unknown fields are ignored on both sides):
//
//   POST {base_url}/sdcpp/v1/vid_gen
//     {"prompt": "...", "negative_prompt": "...", "width": 832, "height": 480,
//      "video_frames": 81, "fps": 16, "seed": 42,
//      "init_image": "<base64 PNG/JPEG>",          (only with a first frame)
//      "end_image": "<base64>",                    (only with a last frame)
//      "sample_params": {"sample_steps": 30, "cfg_scale": 6.0, ...},   (sampling extras)
//      ...other extras at the top level (e.g. "flow_shift": 3)}
//   → 202 (or 200) {"id": "job_1", "poll_url": "/sdcpp/v1/jobs/job_1"}   ("job_id" accepted too;
//      without a poll URL the job is polled at /sdcpp/v1/jobs/{id})
//
//   GET {base_url}/sdcpp/v1/jobs/{id}
//     {"id": "job_1", "status": "queued" | "generating" | "completed" | "failed" | "cancelled",
//      "progress": 0.4,                                        (optional, 0..1 or 0..100)
//      "result": {"output_format": "avi", "mime_type": "video/x-msvideo", "fps": 16,
//                 "frame_count": 81, "b64_json": "<base64 of the whole video file>"},
//      "error": {"code": "...", "message": "..."}}            (on failure; a plain string works too)
//
//   The video bytes are read from result.b64_json, else result.video / result.b64 / result.data,
//   else result.images[] ({"b64_json": ...} each: one video, or PNG frames written as
//   frame_0001.png ...). A value that is a URL (http... or /path) is downloaded instead.
//   The container is told by its magic bytes (AVI, WebM/Matroska, WebP, MP4, PNG), falling
//   back to result.output_format.

#include <fstream>

#include "core/file.h"
#include "models/clip_http.h"

namespace sw::models {

namespace {

using nlohmann::json;

bool is_sampling_key(const std::string& k)
{
    static const char* keys[] = {"sample_steps", "cfg_scale", "sample_method", "scheduler", "eta",
                                 "guidance", "flow_shift", "shifted_timestep", "img_cfg_scale"};
    for (const char* s : keys)
        if (k == s)
            return true;
    return false;
}

core::Result<std::string> read_binary(const http::Client& client, const fs::path& p)
{
    auto bytes = core::read_file(p);
    if (!bytes)
        return tl::unexpected(client.failure(core::ErrorCategory::Input,
                                             "cannot read the image " + p.string() + " — check that it exists"));
    return std::move(*bytes);
}

core::Status write_binary(const http::Client& client, const fs::path& p, const std::string& bytes)
{
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out)
        return tl::unexpected(client.failure(core::ErrorCategory::Io, "cannot write " + p.string() +
                                                                          " — check the free disk space"));
    return {};
}

std::string lower(std::string s)
{
    for (char& c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

class SdcppServerAdapter final : public http::Adapter {
public:
    explicit SdcppServerAdapter(GeneratorConfig config) : http::Adapter(std::move(config)) {}

    std::string kind() const override { return "sdcpp-server"; }
    std::string id() const override { return "sdcpp-server:" + m_config.base_url + ":" + m_config.model; }

private:
    core::Result<fs::path> run(http::Client& client, const ClipRequest& req, const fs::path& work_dir,
                               const GenerateControl& ctl) override
    {
        json body = {
            {"prompt", req.prompt},
            {"negative_prompt", req.negative.empty() ? m_config.negative : req.negative},
            {"width", req.width},
            {"height", req.height},
            {"video_frames", req.frames},
            {"fps", req.fps},
            {"seed", req.seed},
        };
        if (!req.init_image.empty())
            body["init_image"] = http::base64_encode(SW_TRY(read_binary(client, req.init_image)));
        if (!req.end_image.empty())
            body["end_image"] = http::base64_encode(SW_TRY(read_binary(client, req.end_image)));
        json sample = json::object();
        for (const auto& [k, v] : http::merged_extra(req, m_config)) {
            if (is_sampling_key(k))
                sample[k] = http::typed_value(v);
            else if (!body.contains(k))
                body[k] = http::typed_value(v);
        }
        if (!sample.empty())
            body["sample_params"] = sample;

        std::string submit_url = client.url("/sdcpp/v1/vid_gen");
        auto submitted = SW_TRY(client.post_json(submit_url, body.dump()));
        json job = SW_TRY(client.parse_json(submitted, submit_url));
        std::string job_id = http::json_at(job, "/id").value_or(http::json_at(job, "/job_id").value_or(""));
        if (job_id.empty())
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "sd-server accepted the request but gave no job id: " +
                                                     submitted.body.substr(0, 300) +
                                                     " — is this stable-diffusion.cpp's sd-server?"));
        std::string poll = http::json_at(job, "/poll_url")
                               .value_or(http::json_at(job, "/status_url")
                                             .value_or("/sdcpp/v1/jobs/" + http::url_encode(job_id)));
        std::string poll_url = client.url(poll);

        for (;;) {
            auto answer = SW_TRY(client.get(poll_url));
            job = SW_TRY(client.parse_json(answer, poll_url));
            std::string status = lower(http::json_at(job, "/status").value_or(""));
            if (status == "completed" || status == "succeeded" || status == "done")
                return save_result(client, job, work_dir);
            if (status == "failed" || status == "cancelled" || status == "canceled" || status == "error") {
                std::string msg = http::json_at(job, "/error/message")
                                      .value_or(http::json_at(job, "/error").value_or("no reason given"));
                return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                     "sd-server " + status + " the job " + job_id + ": " + msg));
            }
            if (status.empty())
                return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                     "the job answer from " + poll_url + " has no status: " +
                                                         answer.body.substr(0, 300)));
            if (ctl.progress && job.contains("progress") && job["progress"].is_number()) {
                double p = job["progress"].get<double>();
                ctl.progress(std::clamp(p > 1 ? p / 100 : p, 0.0, 1.0));
            }
            SW_TRY_STATUS(client.wait_poll());
        }
    }

    core::Result<fs::path> save_result(http::Client& client, const json& job, const fs::path& work_dir)
    {
        const json* result = job.contains("result") && job["result"].is_object() ? &job["result"] : &job;
        std::string format = lower(http::json_at(*result, "/output_format").value_or(""));
        std::optional<std::string> payload;
        for (const char* key : {"/b64_json", "/video", "/b64", "/data"})
            if (!payload)
                payload = http::json_at(*result, key);
        std::vector<std::string> frames;
        if (!payload && result->contains("images") && (*result)["images"].is_array()) {
            for (const auto& img : (*result)["images"]) {
                auto b = img.is_string() ? std::optional<std::string>(img.get<std::string>())
                                         : http::json_at(img, "/b64_json");
                if (b)
                    frames.push_back(*b);
            }
            if (frames.size() == 1) {
                payload = frames.front();
                frames.clear();
            }
        }
        if (!frames.empty()) {
            // A PNG sequence: frame_0001.png, frame_0002.png, ...
            fs::path first;
            for (size_t i = 0; i < frames.size(); ++i) {
                std::string bytes = SW_TRY(decode(client, frames[i]));
                char name[32];
                std::snprintf(name, sizeof name, "frame_%04zu.png", i + 1);
                SW_TRY_STATUS(write_binary(client, work_dir / name, bytes));
                if (i == 0)
                    first = work_dir / name;
            }
            return first;
        }
        if (!payload || payload->empty())
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "sd-server completed the job without a video (no result.b64_json) "
                                                 "— is the server in video mode (a Wan model loaded)?"));
        fs::path tmp = work_dir / "out.download";
        if (payload->rfind("http://", 0) == 0 || payload->rfind("https://", 0) == 0 || payload->front() == '/') {
            SW_TRY_STATUS(client.download(client.url(*payload), tmp));
        } else {
            std::string bytes = SW_TRY(decode(client, *payload));
            if (bytes.empty())
                return tl::unexpected(client.failure(core::ErrorCategory::Media, "sd-server returned an empty video"));
            SW_TRY_STATUS(write_binary(client, tmp, bytes));
        }
        return http::name_by_content(client, tmp, work_dir, format == "mkv" ? "webm" : format);
    }

    static core::Result<std::string> decode(const http::Client& client, const std::string& b64)
    {
        auto bytes = http::base64_decode(b64);
        if (!bytes)
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "sd-server's video is not valid base64: " + bytes.error().message));
        return *bytes;
    }

};

}  // namespace

core::Result<std::unique_ptr<ClipAdapter>> make_sdcpp_server_adapter(const GeneratorConfig& config)
{
    if (config.base_url.empty())
        return core::make_error(core::ErrorCategory::Input,
                                "generator '" + config.name + "' (sdcpp-server) has no base_url — set base_url = "
                                "\"http://127.0.0.1:1234\" (where sd-server listens)",
                                {}, core::SourceLoc{config.config_file.string()});
    return std::unique_ptr<ClipAdapter>(new SdcppServerAdapter(config));
}

}  // namespace sw::models

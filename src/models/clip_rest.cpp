// rest: a generic asynchronous task API (Kling, Runway, Luma, MiniMax, DashScope, Sora, ...).
//
//   1. POST base_url + submit_path with submit_body, its placeholders replaced by JSON-escaped
//      values. Besides the usual ones, {aspect_ratio} (the nearest of 16:9, 9:16, 1:1, 4:3, 3:4,
//      21:9, 9:21), {init_image_b64} / {end_image_b64} (base64 of the file) and
//      {init_image_data_url} / {end_image_data_url} ("data:image/png;base64,...") are offered.
//      Without that image, a JSON member (or array element) whose string uses an image
//      placeholder is left out of the body.
//   2. The task id is read at id_path (a JSON pointer) in the answer.
//   3. GET base_url + status_path_template ({id} replaced) every poll_interval_s; the status at
//      status_pointer is compared (case-insensitively) with done_values and failed_values;
//      anything else means "still running".
//   4. On done, url_pointer says where the result is. Usually a JSON pointer to a download URL
//      (absolute, possibly on another host, or a path on base_url). It may also be a chain of
//      steps separated by "->": a JSON pointer reads a value ({value}), "GET /path/{id}?x={value}"
//      fetches a JSON document from the service (or, as the last step, the video itself), e.g.
//        MiniMax: "/file_id -> GET /v1/files/retrieve?file_id={value} -> /file/download_url"
//        Sora:    "GET /v1/videos/{id}/content"

#include <cmath>

#include "core/file.h"
#include "core/hash.h"
#include "core/text_util.h"
#include "models/clip_http.h"

namespace sw::models {

namespace {

using nlohmann::json;

constexpr const char* kAbsent = "\x01sw-absent-image\x01";

std::string mime_of(const fs::path& p)
{
    std::string e = p.extension().string();
    for (char& c : e)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (e == ".jpg" || e == ".jpeg")
        return "image/jpeg";
    if (e == ".webp")
        return "image/webp";
    return "image/png";
}

// Drops members/elements whose string carries the "absent image" mark.
void drop_absent(json& j)
{
    if (j.is_object()) {
        for (auto it = j.begin(); it != j.end();) {
            if (it->is_string() && it->get_ref<const std::string&>().find(kAbsent) != std::string::npos) {
                it = j.erase(it);
            } else {
                drop_absent(*it);
                ++it;
            }
        }
    } else if (j.is_array()) {
        for (size_t i = 0; i < j.size();) {
            if (j[i].is_string() && j[i].get_ref<const std::string&>().find(kAbsent) != std::string::npos) {
                j.erase(i);
            } else {
                drop_absent(j[i]);
                ++i;
            }
        }
    }
}

std::vector<std::string> split_steps(const std::string& s)
{
    std::vector<std::string> steps;
    size_t start = 0;
    for (;;) {
        size_t p = s.find("->", start);
        steps.push_back(std::string(core::trim(s.substr(start, p == std::string::npos ? std::string::npos : p - start))));
        if (p == std::string::npos)
            break;
        start = p + 2;
    }
    return steps;
}

// The common aspect-ratio name closest to width:height ("16:9", "9:16", "1:1", ...).
std::string aspect_ratio(int w, int h)
{
    static const std::pair<int, int> ratios[] = {{16, 9}, {9, 16}, {1, 1}, {4, 3}, {3, 4}, {21, 9}, {9, 21}};
    if (w <= 0 || h <= 0)
        return "16:9";
    double r = std::log(double(w) / h), best = 1e9;
    std::string name;
    for (auto [a, b] : ratios) {
        double d = std::fabs(r - std::log(double(a) / b));
        if (d < best) {
            best = d;
            name = std::to_string(a) + ":" + std::to_string(b);
        }
    }
    return name;
}

class RestAdapter final : public http::Adapter {
public:
    explicit RestAdapter(GeneratorConfig config) : http::Adapter(std::move(config)) {}

    std::string kind() const override { return "rest"; }
    std::string id() const override
    {
        return "rest:" + m_config.base_url + m_config.submit_path + ":" + m_config.model + "@" +
               core::fnv1a64_hex(m_config.submit_body);
    }

private:
    core::Result<std::string> image_b64(http::Client& client, const fs::path& p)
    {
        auto bytes = core::read_file(p);
        if (!bytes)
            return tl::unexpected(client.failure(core::ErrorCategory::Input,
                                                 "cannot read the frame image " + p.string()));
        return http::base64_encode(*bytes);
    }

    core::Result<std::string> body_for(http::Client& client, const ClipRequest& req)
    {
        const std::string t = m_config.submit_body.empty() ? std::string("{}") : m_config.submit_body;
        std::map<std::string, std::string> more;
        more["aspect_ratio"] = aspect_ratio(req.width, req.height);
        for (const auto& [prefix, path] : {std::pair<std::string, fs::path>{"init_image", req.init_image},
                                           std::pair<std::string, fs::path>{"end_image", req.end_image}}) {
            bool used_b64 = t.find("{" + prefix + "_b64}") != std::string::npos;
            bool used_url = t.find("{" + prefix + "_data_url}") != std::string::npos;
            if (path.empty()) {
                more[prefix] = more[prefix + "_b64"] = more[prefix + "_data_url"] = kAbsent;
                continue;
            }
            if (used_b64 || used_url) {
                std::string b64 = SW_TRY(image_b64(client, path));
                more[prefix + "_data_url"] = "data:" + mime_of(path) + ";base64," + b64;
                more[prefix + "_b64"] = std::move(b64);
            }
        }
        std::string text = http::substitute(t, req, m_config, true, more);
        json body = json::parse(text, nullptr, false);
        if (body.is_discarded())
            return tl::unexpected(client.failure(core::ErrorCategory::Input,
                                                 "submit_body is not valid JSON once filled in: " +
                                                     text.substr(0, 300) + " — fix submit_body in " +
                                                     m_config.config_file.string()));
        drop_absent(body);
        return body.dump();
    }

    std::string fill_path(const std::string& tmpl, const std::string& id, const std::string& value)
    {
        std::string out;
        for (size_t i = 0; i < tmpl.size();) {
            if (tmpl.compare(i, 4, "{id}") == 0) {
                out += http::url_encode(id);
                i += 4;
            } else if (tmpl.compare(i, 7, "{value}") == 0) {
                out += http::url_encode(value);
                i += 7;
            } else if (tmpl.compare(i, 7, "{model}") == 0) {
                out += http::url_encode(m_config.model);
                i += 7;
            } else {
                out += tmpl[i++];
            }
        }
        return out;
    }

    core::Result<fs::path> run(http::Client& client, const ClipRequest& req, const fs::path& work_dir,
                               const GenerateControl&) override
    {
        std::string body = SW_TRY(body_for(client, req));
        std::string submit_url = client.url(m_config.submit_path);
        auto submitted = SW_TRY(client.post_json(submit_url, body));
        json doc = SW_TRY(client.parse_json(submitted, submit_url));
        std::string task_id = http::json_at(doc, m_config.id_path).value_or("");
        if (task_id.empty()) {
            std::string why = http::json_at(doc, m_config.error_pointer).value_or(submitted.body.substr(0, 300));
            return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                 "the service did not return a task id at " + m_config.id_path + ": " +
                                                     why + " — check submit_body and id_path"));
        }

        std::string status_url = client.url(fill_path(m_config.status_path_template, task_id, ""));
        for (;;) {
            auto answer = SW_TRY(client.get(status_url));
            doc = SW_TRY(client.parse_json(answer, status_url));
            std::string status = http::json_at(doc, m_config.status_pointer).value_or("");
            for (const auto& d : m_config.done_values)
                if (core::to_lower_ascii(status) == core::to_lower_ascii(d))
                    return fetch(client, doc, task_id, work_dir);
            for (const auto& f : m_config.failed_values)
                if (core::to_lower_ascii(status) == core::to_lower_ascii(f)) {
                    std::string msg = http::json_at(doc, m_config.error_pointer).value_or("");
                    if (msg.empty())
                        msg = "no message (" + answer.body.substr(0, 300) + ")";
                    return tl::unexpected(client.failure(core::ErrorCategory::Media,
                                                         "task " + task_id + " " + status + ": " + msg));
                }
            SW_TRY_STATUS(client.wait_poll());
        }
    }

    core::Result<fs::path> fetch(http::Client& client, json doc, const std::string& task_id, const fs::path& work_dir)
    {
        auto steps = split_steps(m_config.url_pointer);
        std::string value;
        fs::path tmp = work_dir / "out.download";
        for (size_t i = 0; i < steps.size(); ++i) {
            const std::string& step = steps[i];
            bool last = i + 1 == steps.size();
            if (step.rfind("GET ", 0) == 0) {
                std::string u = client.url(fill_path(std::string(core::trim(step.substr(4))), task_id, value));
                if (last) {
                    SW_TRY_STATUS(client.download(u, tmp));
                    return http::name_by_content(client, tmp, work_dir, "mp4");
                }
                auto r = SW_TRY(client.get(u));
                doc = SW_TRY(client.parse_json(r, u));
            } else {
                auto v = http::json_at(doc, step);
                if (!v || v->empty())
                    return tl::unexpected(client.failure(
                        core::ErrorCategory::Media, "the finished task " + task_id + " has nothing at " + step + ": " +
                                                        doc.dump().substr(0, 300) + " — check url_pointer"));
                value = *v;
            }
        }
        SW_TRY_STATUS(client.download(client.url(value), tmp));
        std::string ext = fs::path(value.substr(0, value.find('?'))).extension().string();
        return http::name_by_content(client, tmp, work_dir, ext.size() > 1 ? ext.substr(1) : "mp4");
    }

};

}  // namespace

core::Result<std::unique_ptr<ClipAdapter>> make_rest_adapter(const GeneratorConfig& config)
{
    std::vector<std::string> missing;
    if (config.base_url.empty())
        missing.push_back("base_url");
    if (config.submit_path.empty())
        missing.push_back("submit_path");
    if (config.id_path.empty())
        missing.push_back("id_path");
    if (config.status_path_template.empty())
        missing.push_back("status_path_template");
    if (config.status_pointer.empty())
        missing.push_back("status_pointer");
    if (config.done_values.empty())
        missing.push_back("done_values");
    if (config.url_pointer.empty())
        missing.push_back("url_pointer");
    if (!missing.empty()) {
        std::string list;
        for (const auto& m : missing)
            list += (list.empty() ? "" : ", ") + m;
        return core::make_error(core::ErrorCategory::Input,
                                "generator '" + config.name + "' (rest) is missing " + list +
                                    " — see docs/generators.md and the examples in examples/generators/",
                                {}, core::SourceLoc{config.config_file.string()});
    }
    return std::unique_ptr<ClipAdapter>(new RestAdapter(config));
}

}  // namespace sw::models

#include "render/inspect.h"

#include "media/media.h"

namespace sw::render {

static std::string seconds(int64_t us)
{
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", us / 1e6);
    return buf;
}

std::vector<int64_t> inspect_media(const timeline::Project& project, core::Diagnostics& diag)
{
    std::vector<int64_t> frames(project.shots.size(), -1);
    if (project.music) {
        std::error_code ec;
        if (std::filesystem::exists(project.music->path, ec)) {  // a missing file is reported by the reader
            auto info = media::probe_audio(project.music->path);
            if (!info)
                diag.error(project.music->loc, "music: " + info.error().message, info.error().detail);
            else if (!info->has_audio)
                diag.error(project.music->loc, "music: " + project.music->path_as_written + " has no sound",
                           "use an audio file, or a video with an audio track");
        }
    }
    if (project.logo) {
        std::error_code ec;
        if (std::filesystem::exists(project.logo->path, ec)) {  // a missing file is reported by the reader
            auto info = media::probe(project.logo->path);
            auto m = info ? media::extension_mismatch(project.logo->path, project.logo->path_as_written, *info)
                          : std::nullopt;
            if (!info)
                diag.error(project.logo->loc, "logo: " + info.error().message, info.error().detail);
            else if (m && m->other_kind)
                diag.error(project.logo->loc, "logo: " + m->message);
            else if (auto ok = media::validate_image(project.logo->path); !ok)
                diag.error(project.logo->loc, "logo: " + ok.error().message);
        }
    }
    for (size_t i = 0; i < project.shots.size(); ++i) {
        const auto& shot = project.shots[i];
        const auto& v = shot.visual;
        if (shot.keep_audio && (v.kind != timeline::VisualKind::Media || v.media_type != timeline::MediaType::Video))
            diag.error(shot.audio_loc, "shot \"" + shot.name + "\" has no video whose sound could be kept",
                       "`audio: keep` goes with a video clip; remove it here");
        if (v.kind != timeline::VisualKind::Media)
            continue;
        std::error_code ec;
        if (!std::filesystem::exists(v.path, ec))
            continue;  // the script reader has already reported it, with a did-you-mean
        auto info = media::probe(v.path);
        if (!info) {
            std::string msg = "shot \"" + shot.name + "\": " + info.error().message;
            if (!info.error().detail.empty())
                msg += " (" + info.error().detail + ")";
            diag.error(v.loc, msg);
            continue;
        }
        // Content that is not what the extension says: a video named .jpg would show its first
        // frame as a still, a picture named .mp4 is no clip.
        if (auto m = media::extension_mismatch(v.path, v.path_as_written, *info)) {
            if (m->other_kind) {
                diag.error(v.loc, "shot \"" + shot.name + "\": " + m->message);
                continue;
            }
            diag.warning(v.loc, "shot \"" + shot.name + "\": " + m->message);
        }
        if (v.media_type == timeline::MediaType::Image) {
            if (!info->has_video)
                diag.error(v.loc, "shot \"" + shot.name + "\": " + v.path_as_written + " is not a picture",
                           "use a JPEG, PNG or WebP image");
            else if (auto ok = media::validate_image(v.path); !ok)
                diag.error(v.loc, "shot \"" + shot.name + "\": " + ok.error().message);
            continue;
        }
        if (shot.keep_audio && !info->has_audio)
            diag.warning(shot.audio_loc, "shot \"" + shot.name + "\": " + v.path_as_written + " has no sound to keep",
                         "remove `audio: keep`");
        if (!info->has_video || info->is_still) {
            diag.error(v.loc, "shot \"" + shot.name + "\": " + v.path_as_written + " has no video stream",
                       "use a video file, or an image with an image extension");
            continue;
        }
        // One frame decoded now: a clip whose video data is all damaged fails here, at its line,
        // not in the middle of the render.
        {
            auto reader = media::VideoReader::open(v.path, project.fps, 0, 1);
            core::Result<const AVFrame*> first = reader ? reader->next() : tl::unexpected(reader.error());
            if (!first || !*first) {
                if (first)
                    diag.error(v.loc, "shot \"" + shot.name + "\": " + v.path_as_written + " contains no video frames",
                               "copy or export it again");
                else
                    diag.error(v.loc, "shot \"" + shot.name + "\": " + first.error().message);  // says how to fix
                continue;
            }
        }
        // A clip cut short while its container still says the whole length: the shot would
        // hold its last frame for the rest, so say why now.
        if (info->duration_us > 0) {
            const int64_t data_end = media::video_data_end_us(v.path);
            if (data_end >= 0 && data_end < info->duration_us - std::max<int64_t>(1'000'000, info->duration_us / 10)) {
                diag.warning(v.loc,
                             "shot \"" + shot.name + "\": " + v.path_as_written + " stops at " + seconds(data_end) +
                                 " although it says it is " + seconds(info->duration_us) +
                                 " long (the file was cut short)",
                             "copy or export it again; until then the shot holds the last frame there is");
                info->duration_us = data_end;
            }
        }
        int64_t from = v.trim_from_us.value_or(0);
        int64_t end = info->duration_us;
        if (v.trim_to_us && (end < 0 || *v.trim_to_us < end))
            end = *v.trim_to_us;
        if (info->duration_us >= 0 && from >= info->duration_us) {
            diag.error(v.loc,
                       "shot \"" + shot.name + "\": trim starts at " + seconds(from) + " but " + v.path_as_written +
                           " is only " + seconds(info->duration_us) + " long",
                       "use a `from` time inside the clip");
            continue;
        }
        if (end >= 0)
            frames[i] = std::max<int64_t>(1, core::us_to_frames(end - from, project.fps));
    }
    return frames;
}

}  // namespace sw::render

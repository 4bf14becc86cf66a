#pragma once
// Helpers shared by the media module's .cpp files (not part of the public contract).

#include <string>

#include "media/av_ptr.h"
#include "media/media.h"

namespace sw::media::detail {

// libav treats "name:rest" as a protocol URL; prefixing "file:" makes any local path (one with
// a colon in it, say) open as a plain file.
std::string av_url(const fs::path& p);

// A path as shown to the user in messages.
std::string display_path(const fs::path& p);

// An opened demuxer positioned at the start, with its best video stream chosen and the file
// checked for everything probe() promises (exists, readable, is media, has video, sane size).
struct OpenedInput {
    InputFormatPtr fmt;
    int video_stream = -1;
    ProbeInfo info;
};
core::Result<OpenedInput> open_input(const fs::path& path);

// An opened decoder for the chosen video stream. `threads` = 0 lets libav choose.
core::Result<CodecContextPtr> open_video_decoder(const fs::path& path, const AVStream* st, int threads);

// swscale colour-matrix constant (SWS_CS_*) and full-range flag describing a decoded frame,
// with the usual guesses when the file does not say: RGB is full range, JPEG-style yuvj
// formats are BT.601 full range, untagged HD video is BT.709 and untagged SD video BT.601.
int sws_colorspace_of(const AVFrame* f);
bool is_full_range(const AVFrame* f);

}  // namespace sw::media::detail

#pragma once
// Media I/O over FFmpeg's libav* (5.1): probing, still-image decoding, video decoding at the
// output frame rate, and writing the final MP4. Every libav object is owned by RAII wrappers
// (see av_ptr.h); nothing here throws.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/frame.h"
#include "core/rational.h"

struct AVFrame;
struct AVCodecParameters;
struct AVPacket;

namespace sw::media {

namespace fs = std::filesystem;

// Largest picture we agree to decode (guards against absurd declared sizes).
inline constexpr int64_t kMaxPixels = 100'000'000;
inline constexpr int kMaxDimension = 16384;

enum class MediaKind { Image, Video, Audio, Unknown };
// Classifies a path by its extension (case-insensitive): .jpg .jpeg .png .webp .bmp .tif(f)
// .gif → Image; .mp4 .mov .m4v .mkv .webm .avi .mts .m2ts .ts .flv .wmv .mpg .mpeg → Video;
// .wav .mp3 .m4a .aac .ogg .opus .flac → Audio.
MediaKind kind_from_extension(const fs::path& p);

struct ProbeInfo {
    bool has_video = false;
    bool has_audio = false;
    bool is_still = false;        // single-picture format (image2, png_pipe, webp_pipe, ...)
    int coded_width = 0;          // as stored
    int coded_height = 0;
    int rotation = 0;             // display rotation in degrees clockwise: 0, 90, 180, 270
    int display_width = 0;        // after rotation
    int display_height = 0;
    int64_t duration_us = -1;     // -1 if unknown
    core::Rational avg_frame_rate{0, 1};
    bool variable_frame_rate = false;
    std::string video_codec;
    std::string format_name;
};

// Opens the file and reads stream information. Errors (category Input) say what is wrong with
// the file: missing, unreadable, not media, no video stream, absurd size, truncated (an MP4
// whose index points past the end of the file). The message names the file and says how to
// fix it; libav's own error string, if any, is the detail. For pictures the size is read
// from the file header, so probing never decodes an image.
core::Result<ProbeInfo> probe(const fs::path& path);

struct AudioInfo {
    bool has_audio = false;
    int64_t duration_us = -1;  // -1 if unknown
};
// For sound sources (music): opens the file and reports whether it has an audio stream.
// Errors (category Input) say the file is missing, unreadable or not media.
core::Result<AudioInfo> probe_audio(const fs::path& path);

// A file whose content is not what its extension says (an MP4 video named .jpg, a PNG picture
// named .mp4, a PNG named .jpg), judged from what libav detected in it (`info` from probe()).
struct ExtensionMismatch {
    std::string message;     // "media/x.jpg is an MP4 video, not a JPEG picture — rename it to .mp4"
    bool other_kind = false; // a video where the extension says picture, or the reverse (not a
                             // mere JPEG/PNG mix-up, which decodes fine)
};
// `shown` names the file in the message (as the user wrote it). nullopt: content and extension
// agree, or the extension is not one of kind_from_extension's.
std::optional<ExtensionMismatch> extension_mismatch(const fs::path& path, const std::string& shown,
                                                    const ProbeInfo& info);

// Where a video's data really ends, in microseconds from its start: the end of the last video
// packet, read from the file's last seconds (a seek, then packets to the end). A clip cut short
// whose container still declares the full length (Matroska, WebM) ends well before
// ProbeInfo::duration_us. -1 when it cannot be told (no seek, no packets).
int64_t video_data_end_us(const fs::path& path);

// Decodes a picture completely (not only its header, as probe() does) to tell whether it is
// whole: a JPEG cut short decodes with a grey-green lower part, a PNG with a short IDAT fails
// only when decoded. Input error naming the file: "… is damaged (decoding stopped at row N of M)
// — re-export or re-download it" when the rows can be told, else "… is damaged". The verdict is
// remembered within the process by path, size and modification time, so a library used by many
// shots or batch rows is decoded once. Thread-safe.
core::Status validate_image(const fs::path& path);

// Decodes a still image (JPEG, PNG, WebP, ...) into the working format (YUV 4:2:0 BT.709 limited)
// at its own resolution rounded down to even, with EXIF orientation applied. Refuses pictures
// larger than kMaxPixels / kMaxDimension with a clear error.
core::Result<core::Frame> load_image(const fs::path& path);

// Reads a video's frames resampled to a constant output rate, starting at `start_us` into the
// source: frame k of the reader is the source frame on screen at time start_us + k / fps
// (like FFmpeg's fps filter). Variable-frame-rate sources come out evenly spaced.
class VideoReader {
public:
    ~VideoReader();
    VideoReader(VideoReader&&) noexcept;
    VideoReader& operator=(VideoReader&&) noexcept;

    // `threads`: decoder threads (0 = libav's choice). `first_frame` > 0 starts further on: the
    // first frame returned is then output frame `first_frame` — exactly the frame a reader
    // opened with first_frame = 0 would return after skipping that many (the time is computed
    // from integers, never accumulated), found by seeking rather than decoding from the start.
    static core::Result<VideoReader> open(const fs::path& path, core::Rational fps, int64_t start_us = 0,
                                          int threads = 0, int64_t first_frame = 0);

    // The next output-rate frame in the source's own pixel format and coded size (not rotated),
    // or nullptr at end of stream (the last source frame is shown for its own duration). The
    // returned frame stays valid until the next call. Callers convert with swscale (one pass
    // does crop, scale and colour conversion; FrameConverter below does exactly that).
    // Damaged packets are skipped (the previous frame is held until the decoder recovers).
    // Errors (category Input): the file has no decodable frames at all, or start_us lies
    // past its end (with first_frame > 0, a start past the end is simply the end: nullptr).
    core::Result<const AVFrame*> next();
    const ProbeInfo& info() const { return m_info; }
    int64_t frames_read() const;

private:
    struct Impl;
    explicit VideoReader(std::unique_ptr<Impl>);
    std::unique_ptr<Impl> m_impl;
    ProbeInfo m_info;
};

struct EncodeSettings {
    int width = 1080;
    int height = 1920;
    core::Rational fps{30, 1};
    std::string preset = "veryfast";
    int crf = 23;
    int64_t bitrate = 0;       // bits/s; when > 0, used instead of CRF (with VBV maxrate = 1.5×)
    int threads = 0;           // x264 threads, 0 = auto
    int audio_sample_rate = 48000;
    int audio_bitrate = 160000;
    // A segment of a longer video (joined later by join_segments): video only, no faststart
    // (its index is read once, by the join), starting on an IDR frame like every x264 encode.
    bool segment = false;
};

// Writes H.264 (libx264, yuv420p, tagged BT.709, limited range) + AAC (the sound given to
// set_audio(), or silence without it; exactly as long as the video either way) into an MP4 with
// faststart. Output goes to a temporary file beside the
// target ("<dir>/.<name>.part-<pid>.mp4") that is renamed over the target only by finish();
// destroying the writer without finish() removes the temporary file.
class Mp4Writer {
public:
    ~Mp4Writer();
    Mp4Writer(Mp4Writer&&) noexcept;
    Mp4Writer& operator=(Mp4Writer&&) noexcept;

    static core::Result<Mp4Writer> open(const fs::path& target, const EncodeSettings& settings);

    // Frames are presented in call order at the configured fps. The frame's buffer is
    // referenced, not copied: do not write into it afterwards (take a new frame instead).
    core::Status write_video(const core::Frame& frame);
    // The sound track: interleaved stereo float at settings.audio_sample_rate (48 kHz), sample 0
    // at video frame 0. Encoded as the video advances, in 1024-sample AAC frames; at finish() it
    // is cut at the video's length or padded with silence up to it. Call before the first
    // write_video() (samples already encoded as silence while writing stay silence). Error
    // (Internal) for an odd number of floats or a finished writer.
    core::Status set_audio(std::vector<float> stereo);
    // Flushes encoders, writes the trailer (faststart moves the index to the front) and renames
    // the temporary file to the target.
    core::Status finish();
    // Removes the temporary file (also done by the destructor if finish() was not called).
    void abort();

    // Stream copy: a writer whose H.264 track takes already-encoded packets (join_segments).
    // `video` gives the stream's parameters (SPS/PPS in its extradata).
    static core::Result<Mp4Writer> open_copy(const fs::path& target, const EncodeSettings& settings,
                                             const AVCodecParameters* video);
    // One packet of the copied track; pts/dts in frames (output frame index, dts may be
    // negative for B-frame delay). Packets come in decode order.
    core::Status write_video_packet(AVPacket* packet, int64_t pts_frames, int64_t dts_frames);
    const fs::path& temp_path() const;

private:
    struct Impl;
    explicit Mp4Writer(std::unique_ptr<Impl>);
    static core::Result<Mp4Writer> open_impl(const fs::path& target, const EncodeSettings& settings,
                                             const AVCodecParameters* copy);
    static core::Result<Mp4Writer> finish_open(std::unique_ptr<Impl> impl, const EncodeSettings& settings,
                                               const fs::path& dir, const std::string& shown);
    std::unique_ptr<Impl> m_impl;
};

// Joins segments written with EncodeSettings::segment (same size, rate and encoder settings)
// into one MP4 by stream copy — no re-encode — with the given sound (interleaved stereo float at
// settings.audio_sample_rate; empty = silence) and faststart; atomic like Mp4Writer. The
// segments' timestamps are shifted to follow one another, so the result plays as one encode.
// Errors: a segment missing or unreadable (Input), segments encoded with different parameters
// (Internal: they cannot share one H.264 stream), writing failures (Io).
struct JoinResult {
    int64_t frames = 0;
};
core::Result<JoinResult> join_segments(const std::vector<fs::path>& segments, const fs::path& target,
                                       const EncodeSettings& settings, std::vector<float> audio_stereo = {});

// A rectangle in a picture's coded (stored, unrotated) pixels.
struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
};

// Converts decoded frames (any pixel format, range and colour matrix — as VideoReader::next()
// returns them) into the working format (YUV 4:2:0, BT.709, limited range), cropping and
// scaling (bicubic) in the same single swscale pass. Keeps its swscale context between calls:
// per-frame use at a constant source format, crop size and output size costs only the
// conversion itself; moving the crop rectangle is free, changing its size rebuilds the context.
// Untagged sources are assumed BT.709 when at least 720 lines tall, BT.601 otherwise; RGB and
// JPEG-style (yuvj*) sources are full range. Frames already in the working format at the
// output size are copied without swscale. Not thread-safe: one converter per thread.
class FrameConverter {
public:
    FrameConverter();
    ~FrameConverter();
    FrameConverter(FrameConverter&&) noexcept;
    FrameConverter& operator=(FrameConverter&&) noexcept;

    // Converts the part `src_rect` of `src` into `dst`, scaled to dst's size. `dst` must be
    // allocated (even size). The rectangle is clamped to the picture and its origin rounded
    // down to the chroma grid (even x/y for 4:2:0) so chroma stays aligned with luma.
    core::Status convert(const AVFrame* src, PixelRect src_rect, core::Frame& dst);
    // The same with the rectangle spelled out.
    core::Status convert(const AVFrame* src, int x, int y, int w, int h, core::Frame& dst)
    {
        return convert(src, PixelRect{x, y, w, h}, dst);
    }
    // The whole picture scaled to out_w x out_h (both even) in a new frame.
    core::Result<core::Frame> convert(const AVFrame* src, int out_w, int out_h);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Applies an EXIF orientation (1-8: 1 = as stored, 3/6/8 = rotate 180/90/270 degrees
// clockwise, 2/4 = mirror horizontally/vertically, 5/7 = transpose/transverse) to a frame;
// 5-8 swap width and height. Other values return the frame unchanged.
core::Frame apply_exif_orientation(const core::Frame& frame, int orientation);

// Rotates a frame clockwise by 0, 90, 180 or 270 degrees (as ProbeInfo::rotation says a
// video must be shown). Other angles return the frame unchanged.
core::Frame rotate_frame(const core::Frame& frame, int degrees_clockwise);

// libav* logs to stderr by default (x264 statistics per video, decoder warnings on damaged
// input) — noise under a progress bar, where our own errors already say what went wrong.
// verbose = false keeps only fatal libav messages; true shows warnings and errors. Global
// to the process: call once at start-up.
void set_libav_logging(bool verbose);

// The instruction sets the codecs use, fixed so that renders are byte-identical across x86-64
// machines (src/media/cpu.cpp says why). Computed once; the first call also limits FFmpeg's own
// SIMD (av_force_cpu_flags), so every entry into libav* calls it before opening anything.
// SHOTWEAVE_CPU=avx2|avx|sse4.2|ssse3|sse2|c caps the sets, to see what an older CPU makes.
struct CpuProfile {
    std::string x264_asm;      // x264's `asm` option: the CPU's sets up to AVX2, never AVX-512
    std::string output_class;  // renders in one class are the same bytes ("x86-64 ssse3+")
    std::string limit;         // the SHOTWEAVE_CPU cap in force, if any
    std::string warning;       // a SHOTWEAVE_CPU value that was not understood
};
const CpuProfile& cpu_profile();

// swscale flags for a conversion whose output is the same with any SIMD: bit-exact, accurate
// rounding. `base` is the scaling algorithm (SWS_BICUBIC, SWS_AREA …).
int exact_sws_flags(int base);

// av_strerror as a std::string.
std::string av_error_string(int errnum);

}  // namespace sw::media

#pragma once
// Owning smart pointers for libav* objects. Each libav type has its own free function (often
// taking a pointer-to-pointer), so each gets a deleter here; holding them in unique_ptr means
// every early `return` on an error path releases everything in the right order.
//
// This header includes libav headers; media.h (the public contract) deliberately does not.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/frame.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

#include <memory>

namespace sw::media {

// A demuxer opened with avformat_open_input must be closed with avformat_close_input, which
// also closes its AVIOContext.
struct InputFormatDeleter {
    void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;

// A muxer owns an AVIOContext we opened ourselves (avio_open); closing it here makes sure the
// file descriptor is released even when the header or trailer was never written.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* ctx) const
    {
        if (ctx->oformat && !(ctx->oformat->flags & AVFMT_NOFILE))
            avio_closep(&ctx->pb);
        avformat_free_context(ctx);
    }
};
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;

struct CodecContextDeleter {
    void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;

struct FrameDeleter {
    void operator()(AVFrame* f) const { av_frame_free(&f); }
};
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;

struct PacketDeleter {
    void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;

struct SwsContextDeleter {
    void operator()(SwsContext* ctx) const { sws_freeContext(ctx); }
};
using SwsContextPtr = std::unique_ptr<SwsContext, SwsContextDeleter>;

struct SwrContextDeleter {
    void operator()(SwrContext* ctx) const { swr_free(&ctx); }
};
using SwrContextPtr = std::unique_ptr<SwrContext, SwrContextDeleter>;

struct BufferPoolDeleter {
    // av_buffer_pool_uninit only marks the pool for freeing: buffers still referenced (e.g.
    // by an encoder's queue) keep it alive until they are returned.
    void operator()(AVBufferPool* p) const { av_buffer_pool_uninit(&p); }
};
using BufferPoolPtr = std::unique_ptr<AVBufferPool, BufferPoolDeleter>;

// AVDictionary is passed around as AVDictionary** (av_dict_set may reallocate it), which does
// not fit unique_ptr; this owns one and hands out the address.
struct Dictionary {
    AVDictionary* dict = nullptr;
    Dictionary() = default;
    Dictionary(const Dictionary&) = delete;
    Dictionary& operator=(const Dictionary&) = delete;
    ~Dictionary() { av_dict_free(&dict); }
    AVDictionary** out() { return &dict; }
    void set(const char* key, const char* value) { av_dict_set(&dict, key, value, 0); }
};

// av_frame_alloc / av_packet_alloc wrapped; nullptr only on out-of-memory.
inline FramePtr make_frame() { return FramePtr(av_frame_alloc()); }
inline PacketPtr make_packet() { return PacketPtr(av_packet_alloc()); }

}  // namespace sw::media

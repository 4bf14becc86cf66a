// EBU R 128 measurement (libebur128) and normalisation with a true-peak limiter.

#include "audio/loudness.h"

#include <ebur128.h>

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <memory>

namespace sw::audio {

namespace {

constexpr int kRate = 48000;
constexpr double kPi = 3.14159265358979323846;

struct Ebur128Deleter {
    void operator()(ebur128_state* st) const { ebur128_destroy(&st); }
};
using Ebur128Ptr = std::unique_ptr<ebur128_state, Ebur128Deleter>;

inline double db_to_lin(double db) { return std::pow(10.0, db / 20.0); }

// 4× oversampling interpolator (windowed sinc, 12 taps per phase): the values between samples,
// where true peaks hide (a sample-peak limiter lets inter-sample overs of up to ~3 dB through).
class Oversampler {
public:
    static constexpr int kTaps = 12;  // x[t-5] .. x[t+6]
    Oversampler()
    {
        for (int p = 1; p < 4; ++p) {
            double f = p / 4.0;
            for (int k = 0; k < kTaps; ++k) {
                double x = f - (k - 5);  // distance from tap sample to the interpolated point
                double sinc = std::sin(kPi * x) / (kPi * x);
                double w = 0.5 + 0.5 * std::cos(kPi * x / 6.5);  // Hann over ±6.5 samples
                m_h[p - 1][k] = sinc * w;
            }
        }
    }
    // Largest |value| over the sample at t and the three interpolated points after it.
    double peak_after(const std::vector<float>& x, int64_t n, int ch, int64_t t) const
    {
        double peak = std::fabs(x[(size_t)t * 2 + ch]);
        for (int p = 0; p < 3; ++p) {
            double acc = 0;
            for (int k = 0; k < kTaps; ++k) {
                int64_t i = t + k - 5;
                if (i >= 0 && i < n)
                    acc += m_h[p][k] * x[(size_t)i * 2 + ch];
            }
            peak = std::max(peak, std::fabs(acc));
        }
        return peak;
    }

private:
    double m_h[3][kTaps];
};

// Look-ahead limiter: a gain curve that is at or below ceiling / peak at every peak, reached
// smoothly. Required gain → running minimum over the look-ahead window (the gain is down before
// the peak arrives) → release (recovery as a one-pole towards 1; never above the minimum) →
// moving average over the window (turns steps into ramps; averaging values that are all ≤ the
// gain needed at a peak keeps it ≤ that gain).
void limit(std::vector<float>& x, double ceiling_lin, std::vector<float>* track)
{
    const int64_t n = (int64_t)x.size() / 2;
    if (n == 0)
        return;
    const int64_t look = kRate * 5 / 1000;  // 5 ms
    static const Oversampler os;
    std::vector<float> req((size_t)n, 1.0f);
    bool any = false;
    for (int64_t t = 0; t < n; ++t) {
        double pk = std::max(os.peak_after(x, n, 0, t), os.peak_after(x, n, 1, t));
        if (pk > ceiling_lin) {
            req[(size_t)t] = (float)(ceiling_lin / pk);
            any = true;
        }
    }
    if (!any)
        return;

    // Running minimum over [t, t + look] with a monotonic deque.
    std::vector<float> h((size_t)n);
    std::deque<int64_t> dq;
    int64_t next = 0;
    for (int64_t t = 0; t < n; ++t) {
        while (next < n && next <= t + look) {
            while (!dq.empty() && req[(size_t)dq.back()] >= req[(size_t)next])
                dq.pop_back();
            dq.push_back(next++);
        }
        while (dq.front() < t)
            dq.pop_front();
        h[(size_t)t] = req[(size_t)dq.front()];
    }
    // Release: ~50 ms time constant back towards the next required level.
    const double a = std::exp(-1.0 / (0.050 * kRate));
    double r = 1.0;
    for (int64_t t = 0; t < n; ++t) {
        double ht = h[(size_t)t];
        r = ht < r ? ht : ht + (r - ht) * a;
        h[(size_t)t] = (float)r;
    }
    // Moving average over [t - look, t] (values before the start count as 1: no reduction yet).
    double sum = (double)(look) * 1.0;
    std::vector<float> g((size_t)n);
    for (int64_t t = 0; t < n; ++t) {
        sum += h[(size_t)t];
        double leaving = t - look - 1 >= 0 ? h[(size_t)(t - look - 1)] : 1.0;
        sum -= leaving;
        g[(size_t)t] = (float)std::min(1.0, sum / (double)(look + 1));
    }
    for (int64_t t = 0; t < n; ++t) {
        x[(size_t)t * 2] *= g[(size_t)t];
        x[(size_t)t * 2 + 1] *= g[(size_t)t];
    }
    if (track)
        for (int64_t t = 0; t < n; ++t)
            (*track)[(size_t)t] *= g[(size_t)t];
}

void apply_gain(std::vector<float>& x, double db, std::vector<float>* track)
{
    const float g = (float)db_to_lin(db);
    for (float& v : x)
        v *= g;
    if (track)
        for (float& v : *track)
            v *= g;
}

}  // namespace

namespace {

// Fed in slices: one huge call makes libebur128 allocate its resampler buffers for it.
void add_frames(ebur128_state* st, const std::vector<float>& stereo)
{
    const size_t frames = stereo.size() / 2;
    constexpr size_t kSlice = kRate;
    for (size_t at = 0; at < frames; at += kSlice)
        ebur128_add_frames_float(st, stereo.data() + at * 2, std::min(kSlice, frames - at));
}

}  // namespace

double integrated_lufs(const std::vector<float>& stereo)
{
    double lufs = -std::numeric_limits<double>::infinity();
    const size_t frames = stereo.size() / 2;
    Ebur128Ptr st(frames ? ebur128_init(2, kRate, EBUR128_MODE_I) : nullptr);
    if (!st)
        return lufs;
    add_frames(st.get(), stereo);
    double v = lufs;
    if (ebur128_loudness_global(st.get(), &v) == EBUR128_SUCCESS && std::isfinite(v))
        lufs = v;
    return lufs;
}

Loudness measure(const std::vector<float>& stereo)
{
    constexpr double ninf = -std::numeric_limits<double>::infinity();
    Loudness out{ninf, ninf};
    const size_t frames = stereo.size() / 2;
    if (frames == 0)
        return out;
    Ebur128Ptr st(ebur128_init(2, kRate, EBUR128_MODE_I | EBUR128_MODE_TRUE_PEAK));
    if (!st)
        return out;
    add_frames(st.get(), stereo);
    double lufs = ninf;
    if (ebur128_loudness_global(st.get(), &lufs) == EBUR128_SUCCESS && std::isfinite(lufs))
        out.integrated_lufs = lufs;
    double peak = 0;
    for (unsigned ch = 0; ch < 2; ++ch) {
        double p = 0;
        if (ebur128_true_peak(st.get(), ch, &p) == EBUR128_SUCCESS)
            peak = std::max(peak, p);
    }
    if (peak > 0)
        out.true_peak_dbtp = 20.0 * std::log10(peak);
    return out;
}

void normalize(std::vector<float>& stereo, double target_lufs, double ceiling_dbtp, std::vector<float>* gain)
{
    if (gain)
        gain->assign(stereo.size() / 2, 1.0f);
    Loudness m = measure(stereo);
    if (!std::isfinite(m.integrated_lufs))
        return;  // silence (or < 400 ms): no meaningful gain exists
    // The limiter aims 0.2 dB under the ceiling: libebur128's true-peak estimate uses its own
    // interpolation filter and may read slightly above ours.
    const double limit_lin = db_to_lin(ceiling_dbtp - 0.2);
    apply_gain(stereo, target_lufs - m.integrated_lufs, gain);
    limit(stereo, limit_lin, gain);
    for (int pass = 0; pass < 2; ++pass) {
        m = measure(stereo);
        if (!std::isfinite(m.integrated_lufs) || std::fabs(m.integrated_lufs - target_lufs) <= 0.3)
            break;
        apply_gain(stereo, target_lufs - m.integrated_lufs, gain);
        limit(stereo, limit_lin, gain);
    }
    m = measure(stereo);
    if (std::isfinite(m.true_peak_dbtp) && m.true_peak_dbtp > ceiling_dbtp)
        apply_gain(stereo, ceiling_dbtp - 0.05 - m.true_peak_dbtp, gain);
}

}  // namespace sw::audio

// pick_assets(): one asset per shot for a whole video.

#include <algorithm>
#include <map>

#include "library/library.h"

namespace sw::library {

namespace {

// Suitability penalties. Multiplicative and mild: a clearly more relevant asset still wins,
// but among equally relevant ones the one that fits the shot comes first.
constexpr double kWrongOrientation = 0.9;
constexpr double kTooShortVideo = 0.75;
constexpr double kLowResolution = 0.85;

double suitability(const Asset& a, const PickRequest& r)
{
    double f = 1.0;
    const bool out_portrait = r.height > r.width, out_landscape = r.width > r.height;
    const bool portrait = a.height > a.width, landscape = a.width > a.height;
    if ((out_portrait && landscape) || (out_landscape && portrait))
        f *= kWrongOrientation;
    // A video that ends before the shot does would have to freeze or loop.
    if (a.kind == AssetKind::Video && r.min_duration_us > 0 && a.duration_us >= 0 && a.duration_us < r.min_duration_us)
        f *= kTooShortVideo;
    // Scaled up more than 2× it looks soft.
    const int out_short = std::min(r.width, r.height), short_side = std::min(a.width, a.height);
    if (out_short > 0 && 2 * short_side < out_short)
        f *= kLowResolution;
    return f;
}

}  // namespace

core::Result<std::vector<std::optional<Pick>>> pick_assets(const Library& library,
                                                           const std::vector<PickRequest>& requests, uint64_t seed,
                                                           const PickOptions& options)
{
    std::vector<std::optional<Pick>> picks;
    picks.reserve(requests.size());
    std::map<std::string, int> uses;  // rel_path → times chosen so far in this video

    for (const PickRequest& r : requests) {
        SearchOptions so;
        so.limit = std::max<size_t>(options.candidates, 1);
        so.min_score = options.min_relevance;
        std::vector<SearchHit> hits = SW_TRY(library.search(r.query, so));
        if (hits.empty()) {
            picks.push_back(std::nullopt);
            continue;
        }
        struct Candidate {
            SearchHit* hit;
            double adjusted;
            int uses;
        };
        std::vector<Candidate> cands;
        for (auto& h : hits) {
            auto it = uses.find(h.asset.rel_path);
            cands.push_back({&h, h.score * suitability(h.asset, r), it == uses.end() ? 0 : it->second});
        }
        // Fewest uses first (an unused match always beats a used one), then suitability-adjusted
        // relevance, then path: a total order, so the result never depends on search order.
        std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
            if (a.uses != b.uses)
                return a.uses < b.uses;
            if (a.adjusted != b.adjusted)
                return a.adjusted > b.adjusted;
            return a.hit->asset.rel_path < b.hit->asset.rel_path;
        });
        // The near-tie band: same use count, adjusted score within the band of the best.
        size_t band = 1;
        const double floor = cands[0].adjusted * (1.0 - options.near_tie_band);
        while (band < cands.size() && cands[band].uses == cands[0].uses && cands[band].adjusted >= floor)
            ++band;
        const size_t chosen = (size_t)(seed % band);

        Pick p;
        p.chosen = cands[chosen].hit->asset;
        p.score = cands[chosen].hit->score;
        p.matched_terms = cands[chosen].hit->matched_terms;
        for (size_t i = 0; i < cands.size(); ++i)
            if (i != chosen) {
                p.runner_up = cands[i].hit->asset;
                p.runner_up_score = cands[i].hit->score;
                break;
            }
        ++uses[p.chosen.rel_path];
        picks.push_back(std::move(p));
    }
    return picks;
}

}  // namespace sw::library

#pragma once
// Settings files in TOML (toml++): the generator's `[generator]` and the writer's `[writer]` in
// shotweave.toml. One reader of typed values, so that every mistake in any table is reported
// the same way: `file:line:col: what — how to fix`.

#include <toml++/toml.h>

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"

namespace sw::config {

// The whole file; a syntax error is a Script error at its line and column.
core::Result<toml::table> parse_toml(std::string_view text, const std::filesystem::path& file);

class TomlReader {
public:
    explicit TomlReader(std::filesystem::path file) : m_file(std::move(file)) {}

    core::SourceLoc loc(const toml::source_region& r) const;
    // A Script error at `r`: "what — fix".
    tl::unexpected<core::Error> error(const toml::source_region& r, const std::string& what, const std::string& fix) const;

    core::Result<std::string> string(const toml::node& n, const std::string& key) const;
    core::Result<double> number(const toml::node& n, const std::string& key) const;
    core::Result<int> integer(const toml::node& n, const std::string& key) const;
    core::Result<bool> boolean(const toml::node& n, const std::string& key) const;
    core::Result<std::vector<std::string>> strings(const toml::node& n, const std::string& key) const;
    // A table of strings (`allow_scalars`: numbers and booleans too, as text).
    core::Result<std::map<std::string, std::string>> string_table(const toml::node& n, const std::string& key,
                                                                  bool allow_scalars) const;
    // "unknown key `x` in WHERE" with a did-you-mean among `known`, else a pointer to `docs`.
    tl::unexpected<core::Error> unknown(const toml::key& k, const std::vector<std::string>& known, const std::string& where,
                                        const std::string& docs) const;

private:
    std::filesystem::path m_file;
};

}  // namespace sw::config

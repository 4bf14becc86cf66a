// TomlReader: typed values out of toml++ nodes, each mistake at its place in the file.

#include "config/toml_reader.h"

#include <cstdio>

#include "core/text_util.h"

namespace sw::config {

using core::ErrorCategory;

core::Result<toml::table> parse_toml(std::string_view text, const std::filesystem::path& file)
{
    try {
        return toml::parse(text, file.string());
    } catch (const toml::parse_error& e) {
        core::SourceLoc l{file.string()};
        l.line = int(e.source().begin.line);
        l.col = int(e.source().begin.column);
        return core::make_error(ErrorCategory::Script,
                                "invalid TOML: " + std::string(e.description()) +
                                    " — fix the syntax (strings in quotes, one key per line)",
                                {}, l);
    }
}

core::SourceLoc TomlReader::loc(const toml::source_region& r) const
{
    core::SourceLoc l{m_file.string()};
    l.line = int(r.begin.line);
    l.col = int(r.begin.column);
    return l;
}

tl::unexpected<core::Error> TomlReader::error(const toml::source_region& r, const std::string& what,
                                              const std::string& fix) const
{
    return core::make_error(ErrorCategory::Script, what + " — " + fix, {}, loc(r));
}

core::Result<std::string> TomlReader::string(const toml::node& n, const std::string& key) const
{
    if (auto v = n.value<std::string>(); v && n.is_string())
        return *v;
    return error(n.source(), "`" + key + "` must be a string", "write it in quotes, e.g. " + key + " = \"...\"");
}

core::Result<double> TomlReader::number(const toml::node& n, const std::string& key) const
{
    if (n.is_integer())
        return double(n.as_integer()->get());
    if (n.is_floating_point())
        return n.as_floating_point()->get();
    return error(n.source(), "`" + key + "` must be a number", "write e.g. " + key + " = 5");
}

core::Result<int> TomlReader::integer(const toml::node& n, const std::string& key) const
{
    if (n.is_integer()) {
        int64_t v = n.as_integer()->get();
        if (v < INT32_MIN || v > INT32_MAX)
            return error(n.source(), "`" + key + "` is out of range", "use a smaller number");
        return int(v);
    }
    return error(n.source(), "`" + key + "` must be a whole number", "write e.g. " + key + " = 2 (no quotes, no decimals)");
}

core::Result<bool> TomlReader::boolean(const toml::node& n, const std::string& key) const
{
    if (n.is_boolean())
        return n.as_boolean()->get();
    return error(n.source(), "`" + key + "` must be true or false", "write " + key + " = true or " + key + " = false");
}

core::Result<std::vector<std::string>> TomlReader::strings(const toml::node& n, const std::string& key) const
{
    const toml::array* a = n.as_array();
    if (!a)
        return error(n.source(), "`" + key + "` must be an array of strings", "write e.g. " + key + " = [\"a\", \"b\"]");
    std::vector<std::string> out;
    for (const auto& e : *a) {
        if (!e.is_string())
            return error(e.source(), "every element of `" + key + "` must be a string", "put it in quotes");
        out.push_back(*e.value<std::string>());
    }
    return out;
}

core::Result<std::map<std::string, std::string>> TomlReader::string_table(const toml::node& n, const std::string& key,
                                                                          bool allow_scalars) const
{
    const toml::table* t = n.as_table();
    if (!t)
        return error(n.source(), "`" + key + "` must be a table", "write e.g. " + key + " = { name = \"value\" }");
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : *t) {
        std::string name(k.str());
        if (v.is_string())
            out[name] = *v.value<std::string>();
        else if (allow_scalars && v.is_integer())
            out[name] = std::to_string(v.as_integer()->get());
        else if (allow_scalars && v.is_floating_point()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%g", v.as_floating_point()->get());
            out[name] = buf;
        } else if (allow_scalars && v.is_boolean())
            out[name] = v.as_boolean()->get() ? "true" : "false";
        else
            return error(v.source(), "`" + key + "." + name + "` must be " +
                                         (allow_scalars ? "a string, number or boolean" : "a string"),
                         "write e.g. " + name + " = \"value\"");
    }
    return out;
}

tl::unexpected<core::Error> TomlReader::unknown(const toml::key& k, const std::vector<std::string>& known,
                                                const std::string& where, const std::string& docs) const
{
    std::string name(k.str());
    std::string guess = core::did_you_mean(name, known);
    std::string fix = guess.empty() ? "remove it; the keys of " + where + " are listed in " + docs
                                    : "did you mean `" + guess + "`?";
    return error(k.source(), "unknown key `" + name + "` in " + where, fix);
}

}  // namespace sw::config

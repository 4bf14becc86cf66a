#include "script/template.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/encoding.h"
#include "core/file.h"
#include "core/text_util.h"
#include "script/script.h"
#include "script/values.h"

namespace sw::script {

namespace fs = std::filesystem;
using core::SourceLoc;

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view s) { return s.substr(0, 3) == kBom ? s.substr(3) : s; }

bool is_lead_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

int code_points(std::string_view s) { return (int)core::utf8_length(s); }

// Letters of any script: everything from U+0080 up except spaces and punctuation blocks, so
// {{城市}} and {{prénom}} work while `{{a，b}}` (a full-width comma) does not.
bool name_code_point(char32_t c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    if (c <= 0xBF || c == 0xD7 || c == 0xF7)                      // Latin-1 punctuation, no-break space, × ÷
        return false;
    if ((c >= 0x2000 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F))  // general and CJK punctuation
        return false;
    if ((c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || (c >= 0xFF3B && c <= 0xFF40) ||
        (c >= 0xFF5B && c <= 0xFF65))  // full-width punctuation
        return false;
    return c != 0xFEFF && c != 0xFFFD;
}

bool valid_name(std::string_view name)
{
    if (name.empty())
        return false;
    for (char32_t c : core::utf8_decode(name))
        if (!name_code_point(c))
            return false;
    return true;
}

bool blank(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

struct Placeholder {
    size_t begin = 0, end = 0;  // byte range of `{{ name }}` in the text
    std::string name;
    bool ok = false;  // false: `{{` with no closing `}}` on the line, or a bad name
};

// Reads placeholders left to right. The next line end and the next "}}" are looked up once and
// reused while still ahead, so a line of many unclosed "{{" is not scanned once per "{{".
class PlaceholderReader {
public:
    explicit PlaceholderReader(std::string_view text)
        : m_text(text)
    {
    }
    // The placeholder starting at text[i] (which is "{{", not "{{{{"); calls in increasing i.
    Placeholder at(size_t i);

private:
    size_t next(std::string_view what, size_t from, size_t& cache)
    {
        if (cache == kUnknown || (cache != std::string_view::npos && cache < from))
            cache = m_text.find(what, from);
        return cache;
    }
    static constexpr size_t kUnknown = std::string_view::npos - 1;
    std::string_view m_text;
    size_t m_eol = kUnknown, m_close = kUnknown;
};

Placeholder PlaceholderReader::at(size_t i)
{
    std::string_view text = m_text;
    Placeholder p;
    p.begin = i;
    size_t eol = next("\n", i, m_eol);
    size_t close = next("}}", i + 2, m_close);
    if (close == std::string_view::npos || (eol != std::string_view::npos && close > eol)) {
        p.end = i + 2;
        return p;
    }
    p.end = close + 2;
    std::string_view inner = text.substr(i + 2, close - i - 2);
    p.name = std::string(core::trim(inner));
    p.ok = valid_name(p.name);
    return p;
}

// One JSON Lines row: a flat object of strings, numbers and booleans, fields kept in the line's
// order. Read through nlohmann's SAX interface: building an ordered_json object costs a linear
// search per key, quadratic for a line with many keys.
struct RowSax : nlohmann::json_sax<nlohmann::json> {
    explicit RowSax(DataRow& r)
        : row(r)
    {
    }
    DataRow& row;
    std::string error;
    int depth = 0;
    std::string name;  // the current key
    std::map<std::string, size_t> index;  // field name → position in row.fields

    bool value(std::string v)
    {
        if (depth != 1)
            return fail(depth == 0 ? "a single JSON value, not an object such as {\"city\": \"Harbin\"}" : "");
        auto [it, fresh] = index.emplace(name, row.fields.size());
        if (fresh)
            row.fields.emplace_back(name, std::move(v));
        else
            row.fields[it->second].second = std::move(v);  // the last of two equal keys, as nlohmann does
        return true;
    }
    bool fail(const std::string& why)
    {
        if (error.empty())
            error = why.empty() ? "the value of \"" + name + "\" is an array or an object — values are strings or numbers"
                                : why;
        return false;
    }
    bool null() override
    {
        return fail(depth == 1 ? "the value of \"" + name + "\" is null — values are strings or numbers" : "");
    }
    bool boolean(bool v) override { return value(v ? "true" : "false"); }
    bool number_integer(number_integer_t v) override { return value(nlohmann::json(v).dump()); }
    bool number_unsigned(number_unsigned_t v) override { return value(nlohmann::json(v).dump()); }
    bool number_float(number_float_t v, const string_t&) override { return value(nlohmann::json(v).dump()); }
    bool string(string_t& v) override { return value(std::move(v)); }
    bool binary(binary_t&) override { return fail(""); }
    bool start_object(std::size_t) override { return ++depth == 1 ? true : fail(""); }
    bool key(string_t& k) override
    {
        name = k;
        return true;
    }
    bool end_object() override { return --depth, true; }
    bool start_array(std::size_t) override
    {
        return fail(depth == 0 ? "a JSON array, not an object such as {\"city\": \"Harbin\"}" : "");
    }
    bool end_array() override { return true; }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }
};

// `s` with control characters as spaces: a NUL would end the message that shows it.
std::string printable(std::string s)
{
    for (auto& c : s)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            c = ' ';
    return s;
}

// The data file's text in UTF-8 (core::decode_text), with the table's warning when converted.
core::DecodedText decode_data(std::string_view bytes, DataTable& t)
{
    core::DecodedText d = core::decode_text(bytes);
    if (d.converted())
        t.warning = core::converted_note(d, t.file) + " — save it as UTF-8 (in Excel: Save As, \"CSV UTF-8\")";
    return d;
}

// U+FFFD left by decoding bytes that are no known encoding: the row cannot be trusted.
void check_decoded(DataRow& row)
{
    for (auto& [name, value] : row.fields)
        if (name.find("\xEF\xBF\xBD") != std::string::npos || value.find("\xEF\xBF\xBD") != std::string::npos) {
            row.error = "field \"" + printable(name) + "\" is not valid UTF-8 text — save the data file as UTF-8";
            row.fields.clear();
            return;
        }
}

// A field with a control character makes its row an error (every reader refuses them in scripts).
// `damaged`: the file had bytes that are not text (decoding left U+FFFD in their place).
void check_fields(DataRow& row, bool damaged)
{
    if (damaged)
        check_decoded(row);
    for (auto& [name, value] : row.fields) {
        for (const std::string* text : {&name, &value}) {
            size_t bad = core::find_control_char(*text);
            if (bad == std::string::npos)
                continue;
            row.error = std::string(text == &name ? "the name of" : "the value of") + " field \"" + printable(name) +
                        "\" has a control character (" + core::code_point_name(static_cast<unsigned char>((*text)[bad])) +
                        ") — remove it from the data file";
            row.fields.clear();
            return;
        }
    }
}

tl::unexpected<core::Error> too_many_rows(const std::string& file, int line)
{
    return core::make_error(core::ErrorCategory::Input,
                            file + " has more than " + std::to_string(kMaxBatchRows) + " rows — split it into several data files",
                            {}, SourceLoc{file, line, 0});
}

}  // namespace

// --- rows -------------------------------------------------------------------------------------

const std::string* DataRow::find(std::string_view name) const
{
    for (auto& [k, v] : fields)
        if (k == name)
            return &v;
    return nullptr;
}

std::vector<std::string> DataRow::names() const
{
    std::vector<std::string> n;
    for (auto& f : fields)
        n.push_back(f.first);
    return n;
}

std::string DataRow::label() const
{
    if (fields.empty())
        return {};
    std::string v = printable(fields[0].second);
    std::u32string cps = core::utf8_decode(v);
    if (cps.size() > 24) {
        v.clear();
        for (size_t k = 0; k < 23; ++k)
            v += core::utf8_encode(cps[k]);
        v += "…";
    }
    return printable(fields[0].first) + "=" + v;
}

// --- CSV ----------------------------------------------------------------------------------------

core::Result<DataTable> read_csv_text(std::string_view bytes, std::string_view file_name)
{
    DataTable t;
    t.file = std::string(file_name);
    core::DecodedText decoded = decode_data(bytes, t);
    std::string_view text = strip_bom(decoded.text);
    const size_t n = text.size();
    size_t i = 0;
    int line = 1;
    bool have_header = false;
    int number = 0;
    while (i < n) {
        const int start_line = line;
        std::vector<std::string> fields;
        std::string field, error;
        bool field_start = true, quoted_any = false;
        // One record: fields up to an unquoted line break (or the end of the text).
        while (true) {
            if (i >= n) {
                fields.push_back(std::move(field));
                break;
            }
            char c = text[i];
            if (field_start && c == '"') {
                quoted_any = true;
                field_start = false;
                ++i;
                bool closed = false;
                while (i < n) {
                    char q = text[i];
                    if (q == '"') {
                        if (i + 1 < n && text[i + 1] == '"') {
                            field += '"';
                            i += 2;
                            continue;
                        }
                        ++i;
                        closed = true;
                        break;
                    }
                    if (q == '\r' && i + 1 < n && text[i + 1] == '\n') {
                        field += '\n';
                        i += 2;
                        ++line;
                        continue;
                    }
                    if (q == '\n')
                        ++line;
                    field += q;
                    ++i;
                }
                if (!closed && error.empty())
                    error = "the quote opened on line " + std::to_string(start_line) + " is never closed";
                // After the closing quote only a comma or the end of the record may follow.
                if (closed && i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
                    if (error.empty())
                        error = "text after a closing quote on line " + std::to_string(line) +
                                " — a quote inside a quoted value is written twice (\"\")";
                    while (i < n && text[i] != ',' && text[i] != '\n' && text[i] != '\r')
                        ++i;
                }
                continue;
            }
            if (c == ',') {
                fields.push_back(std::move(field));
                field.clear();
                field_start = true;
                ++i;
                continue;
            }
            if (c == '\n' || c == '\r') {
                i += (c == '\r' && i + 1 < n && text[i + 1] == '\n') ? 2 : 1;
                ++line;
                fields.push_back(std::move(field));
                break;
            }
            field += c;
            field_start = false;
            ++i;
        }
        if (fields.size() == 1 && fields[0].empty() && !quoted_any && error.empty())
            continue;  // a blank line
        if (!have_header) {
            if (!error.empty())
                return core::make_error(core::ErrorCategory::Input, "the header row of " + t.file + ": " + error, {},
                                        SourceLoc{t.file, start_line, 0});
            std::set<std::string> seen;
            for (size_t k = 0; k < fields.size(); ++k) {
                std::string name(core::trim(fields[k]));
                if (name.empty())
                    return core::make_error(core::ErrorCategory::Input,
                                            "column " + std::to_string(k + 1) + " of the header row has no name — the "
                                            "first row of a CSV file names the fields used as {{name}} in the template",
                                            {}, SourceLoc{t.file, start_line, 0});
                if (!seen.insert(name).second)
                    return core::make_error(core::ErrorCategory::Input,
                                            "the header row names \"" + name + "\" twice — give each column its own name",
                                            {}, SourceLoc{t.file, start_line, 0});
                t.columns.push_back(name);
            }
            have_header = true;
            continue;
        }
        DataRow row;
        row.number = ++number;
        row.line = start_line;
        if ((size_t)number > kMaxBatchRows)
            return too_many_rows(t.file, start_line);
        if (!error.empty()) {
            row.error = error;
        } else if (fields.size() != t.columns.size()) {
            row.error = "it has " + std::to_string(fields.size()) + " field" + (fields.size() == 1 ? "" : "s") +
                        " but the header has " + std::to_string(t.columns.size()) +
                        " — quote a value that contains a comma (\"a, b\")";
        } else {
            for (size_t k = 0; k < fields.size(); ++k)
                row.fields.emplace_back(t.columns[k], std::move(fields[k]));
            check_fields(row, decoded.first_invalid != std::string::npos);
        }
        t.rows.push_back(std::move(row));
    }
    if (!have_header)
        return core::make_error(core::ErrorCategory::Input,
                                t.file + " is empty — its first row names the fields, each further row is one video",
                                {}, SourceLoc{t.file, 0, 0});
    return t;
}

// --- JSON Lines -----------------------------------------------------------------------------------

core::Result<DataTable> read_jsonl_text(std::string_view bytes, std::string_view file_name)
{
    DataTable t;
    t.file = std::string(file_name);
    core::DecodedText decoded = decode_data(bytes, t);
    std::string_view text = strip_bom(decoded.text);
    int line = 0, number = 0;
    size_t pos = 0;
    std::set<std::string> seen_columns;
    while (pos <= text.size()) {
        size_t eol = text.find('\n', pos);
        std::string_view l = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
        pos = eol == std::string_view::npos ? text.size() + 1 : eol + 1;
        ++line;
        if (core::trim(l).empty())
            continue;
        DataRow row;
        row.number = ++number;
        row.line = line;
        if ((size_t)number > kMaxBatchRows)
            return too_many_rows(t.file, line);
        if (auto e = check_json_limits(l, kMaxJsonDepth)) {
            row.error = e->message + " — " + e->hint;
        } else {
            RowSax sax(row);
            if (!nlohmann::json::sax_parse(l, &sax))
                row.error = sax.error.empty() ? "not valid JSON — each line holds one object such as {\"city\": \"Harbin\"}"
                                              : sax.error;
        }
        if (!row.error.empty())
            row.fields.clear();
        check_fields(row, decoded.first_invalid != std::string::npos);
        for (auto& f : row.fields)
            if (seen_columns.insert(f.first).second)
                t.columns.push_back(f.first);
        t.rows.push_back(std::move(row));
    }
    return t;
}

core::Result<DataTable> read_data_file(const fs::path& path)
{
    std::string ext = core::to_lower_ascii(path.extension().string());
    if (ext != ".csv" && ext != ".jsonl" && ext != ".ndjson")
        return core::make_error(core::ErrorCategory::Input,
                                "the data file " + path.string() + " is neither .csv nor .jsonl — give a CSV file with a "
                                "header row, or JSON Lines (one object per line)");
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return core::make_error(core::ErrorCategory::Input, "the data file " + path.string() + " is a folder");
    auto text = core::read_file(path);
    if (!text)
        return core::make_error(core::ErrorCategory::Input, "cannot read the data file " + path.string(),
                                fs::exists(path, ec) ? "permission denied" : "no such file");
    return ext == ".csv" ? read_csv_text(*text, path.string()) : read_jsonl_text(*text, path.string());
}

// --- templates -------------------------------------------------------------------------------------

SourceLoc TemplateMap::to_template(const SourceLoc& filled) const
{
    if (filled.file != file || filled.line < 1 || filled.line > (int)lines.size())
        return filled;
    const auto& segs = lines[filled.line - 1];
    const Segment* s = &segs.front();
    for (auto& seg : segs)
        if (seg.out_col <= std::max(filled.col, 1))
            s = &seg;
    SourceLoc r = filled;
    r.line = s->line;
    if (filled.col > 0)
        r.col = s->literal ? s->col + (filled.col - s->out_col) : s->col;
    return r;
}

std::optional<FilledTemplate> fill_template(std::string_view text, const DataRow& row, std::string_view file_name,
                                            core::Diagnostics& diag)
{
    text = strip_bom(text);
    FilledTemplate f;
    f.map.file = std::string(file_name);
    std::string& out = f.text;
    out.reserve(text.size() + text.size() / 4);
    int tl = 1, tc = 1;  // template position of text[i]
    int oc = 1;          // column in the current filled line
    size_t line_start = 0;
    auto mark = [&](bool literal, int line, int col) {
        auto& segs = f.map.lines.back();
        if (!segs.empty() && segs.back().out_col == oc)
            segs.back() = {oc, line, col, literal};
        else
            segs.push_back({oc, line, col, literal});
    };
    auto new_filled_line = [&](int line, int col, bool literal) {
        f.map.lines.push_back({});
        oc = 1;
        mark(literal, line, col);
    };
    new_filled_line(1, 1, true);
    bool ok = true;
    std::set<std::string> reported;
    const std::string row_name = "row " + std::to_string(row.number);
    PlaceholderReader placeholders(text);
    size_t i = 0;
    while (i < text.size()) {
        if (text.compare(i, 4, "{{{{") == 0) {  // the escape: a literal "{{"
            out += "{{";
            oc += 2;
            tc += 4;
            i += 4;
            mark(true, tl, tc);
            continue;
        }
        if (text.compare(i, 2, "{{") == 0) {
            Placeholder p = placeholders.at(i);
            SourceLoc where{f.map.file, tl, tc};
            int width = code_points(text.substr(p.begin, p.end - p.begin));
            if (!p.ok) {
                ok = false;
                if (p.end == i + 2)
                    diag.error(where, "\"{{\" starts a placeholder that is not closed by \"}}\" on the same line",
                               "write {{field}}, or {{{{ for a literal \"{{\"");
                else
                    diag.error(where, "\"" + std::string(text.substr(p.begin, p.end - p.begin)) + "\" is not a placeholder",
                               "a field name is letters, digits, _ and -, e.g. {{city}}; write {{{{ for a literal \"{{\"");
                out.append(text.substr(p.begin, p.end - p.begin));
                oc += width;
                tc += width;
                i = p.end;
                continue;
            }
            const std::string* value = row.find(p.name);
            if (!value) {
                ok = false;
                if (reported.insert(p.name).second) {
                    std::vector<std::string> names = row.names();
                    std::string guess = core::did_you_mean(p.name, names);
                    std::string hint = guess.empty() ? "" : "did you mean {{" + guess + "}}? ";
                    hint += names.empty() ? "the row has no fields" : "the row's fields: " + join(names);
                    diag.error(where, row_name + " has no field \"" + p.name + "\"", hint);
                }
                tc += width;
                i = p.end;
                mark(true, tl, tc);
                continue;
            }
            std::string v;
            v.reserve(value->size());
            for (size_t k = 0; k < value->size(); ++k) {
                char c = (*value)[k];
                if (c == '\r') {
                    v += '\n';
                    if (k + 1 < value->size() && (*value)[k + 1] == '\n')
                        ++k;
                } else {
                    v += c;
                }
            }
            if (v.find('\n') != std::string::npos) {
                size_t eol = text.find('\n', p.end);
                std::string_view before = text.substr(line_start, p.begin - line_start);
                std::string_view after = text.substr(p.end, eol == std::string_view::npos ? std::string_view::npos : eol - p.end);
                if (!blank(before) || !blank(after)) {
                    ok = false;
                    diag.error(where, "the value of \"" + p.name + "\" in " + row_name + " has several lines, but {{" +
                                          p.name + "}} is not alone on its line",
                               "put the placeholder on a line of its own (its lines then become lines of the "
                               "script), or remove the line breaks from the value");
                    tc += width;
                    i = p.end;
                    continue;
                }
            }
            mark(false, tl, tc);
            for (char c : v) {
                if (c == '\n') {
                    out += '\n';
                    new_filled_line(tl, tc, false);
                    continue;
                }
                out += c;
                oc += is_lead_byte(c);
            }
            tc += width;
            i = p.end;
            mark(true, tl, tc);
            continue;
        }
        char c = text[i++];
        out += c;
        if (c == '\n') {
            ++tl;
            tc = 1;
            line_start = i;
            new_filled_line(tl, 1, true);
        } else if (is_lead_byte(c)) {
            ++tc;
            ++oc;
        }
    }
    if (!ok)
        return std::nullopt;
    return f;
}

std::vector<std::string> template_fields(std::string_view text)
{
    std::vector<std::string> names;
    PlaceholderReader placeholders(text);
    size_t i = 0;
    while ((i = text.find("{{", i)) != std::string_view::npos) {
        if (text.compare(i, 4, "{{{{") == 0) {
            i += 4;
            continue;
        }
        Placeholder p = placeholders.at(i);
        if (p.ok && std::find(names.begin(), names.end(), p.name) == names.end())
            names.push_back(p.name);
        i = p.end;
    }
    return names;
}

}  // namespace sw::script

#pragma once
// Templates and data tables for `shotweave batch`: one script with {{field}} placeholders, one
// row of values per video (docs/batch.md).
//
//   - fill_template: replaces every {{field}} with the row's value and keeps a map from the
//     filled text's positions back to the template's, so diagnostics about the filled script
//     point into the template the user wrote.
//   - read_csv_text / read_jsonl_text / read_data_file: the rows. A row that cannot be read
//     (ragged CSV row, bad JSON) is kept with its error so that one bad row fails alone.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/diagnostics.h"
#include "core/error.h"

namespace sw::script {

// Rows per data file; a table longer than this is refused as a whole (split it into several batches).
inline constexpr size_t kMaxBatchRows = 100'000;

// One row of the data table.
struct DataRow {
    int number = 0;  // 1-based among the data rows (the CSV header and blank lines not counted)
    int line = 0;    // line of the data file where the row starts (1-based)
    std::vector<std::pair<std::string, std::string>> fields;  // in the file's order
    std::string error;  // non-empty: the row could not be read ("line 7: 3 fields, the header has 4")

    const std::string* find(std::string_view name) const;
    std::vector<std::string> names() const;
    // "city=哈尔滨" — the first field, shortened, to tell rows apart in messages.
    std::string label() const;
};

struct DataTable {
    std::string file;                  // for messages
    std::vector<std::string> columns;  // CSV header, or the JSONL keys in first-seen order
    std::vector<DataRow> rows;
    std::string warning;  // e.g. "saved as GB18030 (GBK), not UTF-8; it was read as such" (the caller shows it)
};

// Both readers take the bytes as saved: UTF-16 with a byte-order mark and GB18030/GBK (Excel on
// Chinese Windows) are converted to UTF-8 with DataTable::warning set; other bytes that are not
// UTF-8 make the rows they are in an error. A field with a control character (NUL, escape, ...; tabs and line breaks are fine)
// makes its row an error naming the field; more than kMaxBatchRows rows is an error for the file.
//
// CSV per RFC 4180: the first record is the header (field names, trimmed; empty or repeated
// names are an error for the whole file); quoted fields may hold commas, doubled quotes and line
// breaks; LF or CRLF; a UTF-8 byte-order mark is skipped; blank lines are skipped. A record with
// another number of fields than the header, or with text after a closing quote, or a quote never
// closed, is a row with an error.
core::Result<DataTable> read_csv_text(std::string_view text, std::string_view file_name_for_messages);

// JSON Lines: one object per line; values strings (inserted as they are), numbers (as
// nlohmann::json writes them) or booleans; blank lines skipped. A line that is not valid JSON,
// not an object, or has another kind of value, is a row with an error naming the line.
core::Result<DataTable> read_jsonl_text(std::string_view text, std::string_view file_name_for_messages);

// By extension: .csv, .jsonl / .ndjson. Errors: unreadable file or unknown extension (Input),
// CSV header problems (Input).
core::Result<DataTable> read_data_file(const std::filesystem::path& path);

// Where each part of a filled text came from in the template (built by fill_template).
struct TemplateMap {
    // The template position of a position in the filled text; a position inside an inserted value
    // maps to its placeholder. Locations in other files are returned unchanged.
    core::SourceLoc to_template(const core::SourceLoc& filled) const;

    struct Segment {
        int out_col;    // first column of the segment in the filled line
        int line, col;  // where it starts in the template
        bool literal;   // copied text (columns advance together) or an inserted value
    };
    std::string file;
    std::vector<std::vector<Segment>> lines;  // per filled line (index = line - 1)
};

struct FilledTemplate {
    std::string text;
    TemplateMap map;
};

// Replaces each `{{name}}` (spaces inside the braces allowed; names of letters — any script —
// digits, `_` and `-`) with the row's value. `{{{{` is a literal `{{`. A leading byte-order mark
// is dropped. Problems are errors in `diag` at the placeholder's file:line:col, and then nullopt
// is returned:
//   - the row has no such field (once per name, with "did you mean" over the row's fields);
//   - a value with a line break where the placeholder does not stand alone on its line (alone, the
//     value's lines become lines of the text);
//   - a `{{` that does not start a well-formed placeholder closed on the same line.
// The messages name the row ("row 3 has no field ...").
std::optional<FilledTemplate> fill_template(std::string_view text, const DataRow& row, std::string_view file_name,
                                            core::Diagnostics& diag);

// The names of the placeholders in `text`, in first-use order (malformed ones skipped).
std::vector<std::string> template_fields(std::string_view text);

}  // namespace sw::script

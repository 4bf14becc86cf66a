// Batch data and templates. The first byte picks what the rest is:
//   'c' CSV rows, 'j' JSON Lines rows — each row then fills a small template that is read as a script;
//   anything else: a template, filled with one fixed row and read as a script.
#include "fuzz/harness.h"
#include "script/script.h"
#include "script/template.h"

namespace {

void fill_and_read(std::string_view templ, const sw::script::DataRow& row)
{
    sw::core::Diagnostics diag;
    (void)sw::script::template_fields(templ);
    auto filled = sw::script::fill_template(templ, row, "fuzz.md", diag);
    if (!filled)
        return;
    auto project = sw::script::read_script_text(filled->text, "fuzz.md", sw::script::Format::Markdown,
                                                "/nonexistent-fuzz-dir", diag);
    for (auto& d : diag.items())
        (void)filled->map.to_template(d.where);
    (void)project;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    std::string_view rest = fuzz_bytes(data + 1, size - 1);
    if (data[0] == 'c' || data[0] == 'j') {
        auto table = data[0] == 'c' ? sw::script::read_csv_text(rest, "fuzz.csv") : sw::script::read_jsonl_text(rest, "fuzz.jsonl");
        if (!table)
            return 0;
        const char* templ = "# {{city}}\ntitle: {{title}}\n{{narration}}\n";
        size_t n = 0;
        for (auto& row : table->rows) {
            (void)row.label();
            if (row.error.empty() && n++ < 8)
                fill_and_read(templ, row);
        }
        return 0;
    }
    sw::script::DataRow row;
    row.number = 1;
    row.fields = {{"city", "哈尔滨"}, {"title", "Ice\nand snow"}, {"narration", "One.\nTwo."}};
    fill_and_read(rest, row);
    return 0;
}

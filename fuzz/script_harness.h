#pragma once
// Shared by the Markdown, article and JSON harnesses: one script reader over the bytes. Errors are
// the expected outcome; only a crash, a hang or a sanitizer report is a finding.
#include "fuzz/harness.h"
#include "script/script.h"

inline int fuzz_script(const uint8_t* data, size_t size, sw::script::Format format, const char* name)
{
    sw::core::Diagnostics diag;
    auto project = sw::script::read_script_text(fuzz_bytes(data, size), name, format, "/nonexistent-fuzz-dir", diag);
    (void)project;
    (void)diag.to_string();  // messages are built from the input too
    return 0;
}

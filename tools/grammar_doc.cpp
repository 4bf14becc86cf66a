// grammar_doc: writes docs/script.md's key reference from the grammar table
// (src/script/grammar.h), so the documentation of every key cannot drift from what the readers
// accept. The unit test Grammar.DocsKeyReferenceIsGenerated fails until this has been run after
// a change to the table.
//
//   grammar_doc                        print the reference
//   grammar_doc --write docs/script.md replace the reference between its markers in the file

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "script/grammar.h"

using namespace sw::script;

int main(int argc, char** argv)
{
    const std::string ref = grammar::key_reference_markdown();
    if (argc == 1) {
        std::cout << ref;
        return 0;
    }
    if (argc != 3 || std::string(argv[1]) != "--write") {
        std::cerr << "usage: grammar_doc [--write docs/script.md]\n";
        return 2;
    }
    std::ifstream in(argv[2], std::ios::binary);
    if (!in) {
        std::cerr << "grammar_doc: cannot read " << argv[2] << "\n";
        return 1;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    std::string text = buf.str();
    size_t b = text.find(grammar::kReferenceBegin);
    size_t e = text.find(grammar::kReferenceEnd);
    if (b == std::string::npos || e == std::string::npos || e < b) {
        std::cerr << "grammar_doc: " << argv[2] << " has no key reference markers; add the lines\n  "
                  << grammar::kReferenceBegin << "\n  " << grammar::kReferenceEnd << "\nwhere it belongs\n";
        return 1;
    }
    e += grammar::kReferenceEnd.size();
    if (e < text.size() && text[e] == '\n')
        ++e;
    text = text.substr(0, b) + ref + text.substr(e);
    std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
    out << text;
    return out ? 0 : 1;
}

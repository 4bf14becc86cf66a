#pragma once
// Generator files, `*.gen`: inputs too big to commit (a megabyte of tabs) are committed as the
// recipe for them, one piece per line, concatenated: `text <s>` or `repeat <count> <s>`, where <s>
// takes the escapes \n \r \t \\ \s (a space) and \xHH; lines starting with `#` are comments.
// Any other file is an input as it is.

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fuzzgen {

namespace fs = std::filesystem;

inline std::string unescape(const std::string& s)
{
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\' || i + 1 == s.size()) {
            out += s[i];
            continue;
        }
        char e = s[++i];
        if (e == 'n')
            out += '\n';
        else if (e == 'r')
            out += '\r';
        else if (e == 't')
            out += '\t';
        else if (e == 's')
            out += ' ';
        else if (e == 'x' && i + 2 < s.size()) {
            out += char(std::strtol(s.substr(i + 1, 2).c_str(), nullptr, 16));
            i += 2;
        } else
            out += e;
    }
    return out;
}

inline std::string read_all(const fs::path& p)
{
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The bytes of an input file: a `.gen` file expanded, any other file as it is.
inline std::string input_bytes(const fs::path& p)
{
    std::string text = read_all(p);
    if (p.extension() != ".gen")
        return text;
    std::string out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("text ", 0) == 0) {
            out += unescape(line.substr(5));
        } else if (line.rfind("repeat ", 0) == 0) {
            size_t sp = line.find(' ', 7);
            long n = std::strtol(line.substr(7, sp - 7).c_str(), nullptr, 10);
            std::string piece = sp == std::string::npos ? "" : unescape(line.substr(sp + 1));
            for (long k = 0; k < n; ++k)
                out += piece;
        } else if (!line.empty() && line[0] != '#') {
            std::fprintf(stderr, "%s: not a generator line: %s\n", p.c_str(), line.c_str());
            std::exit(2);
        }
    }
    return out;
}

}  // namespace fuzzgen

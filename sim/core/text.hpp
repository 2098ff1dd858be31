// Small text helpers shared by the readers and the engine.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>

namespace sim {

// ASCII lower case: AWS state strings, hostnames and config words compare without case.
inline std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Without leading and trailing white space.
inline std::string Trim(std::string_view s) {
  const auto space = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace sim

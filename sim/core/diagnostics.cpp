#include "sim/core/diagnostics.hpp"

namespace sim {
namespace {

std::string JoinDiagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) {
    if (!out.empty()) out += "\n";
    out += d.ToString();
  }
  return out;
}

}  // namespace

std::string PointerAppend(const std::string& pointer, std::string_view key) {
  std::string out = pointer + "/";
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string PointerAppend(const std::string& pointer, std::size_t index) {
  return pointer + "/" + std::to_string(index);
}

std::string Diagnostic::ToString() const { return file + ":" + location + ": " + message; }

InputError::InputError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(JoinDiagnostics(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::string LocationText(const std::string& location) {
  const std::size_t mark = location.find(kFileMark);
  if (mark == std::string::npos) return location;
  return location.substr(0, mark) + ":" + location.substr(mark + 1);
}

std::string ForeignObjectLocation(std::string location) {
  while (true) {
    const std::size_t slash = location.find_last_of('/');
    if (slash == std::string::npos || slash + 1 >= location.size()) break;
    const char c = location[slash + 1];
    const bool index = c >= '0' && c <= '9';
    const std::size_t prev = index ? location.find_last_of('/', slash - 1) : slash;
    if (prev == std::string::npos || prev + 1 >= location.size() || location[prev + 1] < 'a' ||
        location[prev + 1] > 'z')
      break;
    location.resize(prev);
  }
  return location;
}

Diagnostic DiagnosticSink::Make(std::string location, std::string message) const {
  const std::size_t mark = location.find(kFileMark);
  if (mark == std::string::npos) return {file_, std::move(location), std::move(message)};
  return {location.substr(0, mark), location.substr(mark + 1), std::move(message)};
}

void DiagnosticSink::Error(std::string location, std::string message) {
  errors_.push_back(Make(std::move(location), std::move(message)));
}

void DiagnosticSink::Warn(std::string location, std::string message) {
  warnings_.push_back(Make(std::move(location), std::move(message)));
}

void DiagnosticSink::ThrowIfErrors() const {
  if (!errors_.empty()) throw InputError(errors_);
}

}  // namespace sim

// Diagnostics for bad input. Every problem names the file it was found in and a
// location inside it (a JSON pointer, an INI "[section] key", a YAML path, or a
// command-line option), so a user can go straight to it. Loaders collect all the
// problems of an input before throwing one InputError that carries them all.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sim {

struct Diagnostic {
  std::string file;      // path as the user gave it, or "<string>"
  std::string location;  // "/subnets/2/cidr", "3:14" (line:column), "--from", ...
  std::string message;

  // "FILE:LOCATION: message"
  std::string ToString() const;
  bool operator==(const Diagnostic&) const = default;
};

// A location in another file than the sink's: "FILE" + kFileMark + "/pointer". Loaders
// that build one model from several files (AWS dumps) store such locations in the
// model's `pointer` fields, so that later stages (validation) still name the right
// file. DiagnosticSink splits them; LocationText renders one for a message.
inline constexpr char kFileMark = '\x1f';
inline std::string InFile(const std::string& file, const std::string& pointer) {
  return file + kFileMark + pointer;
}
std::string LocationText(const std::string& location);  // "FILE:/pointer" or "/pointer"
// The validator names scenario-format keys below an object ("/id", "/cidr",
// "/security_groups/0"); for an object that came from another format (an AWS dump's
// "/Subnets/3", a config's "[vpc public] compute_subnet_cidr") the object itself is the
// location. Drops those lowercase segments (and an index after one) from the end.
std::string ForeignObjectLocation(std::string location);

// RFC 6901 JSON pointers: appends "/" + key (with "~" and "/" escaped) or "/" + index.
std::string PointerAppend(const std::string& pointer, std::string_view key);
std::string PointerAppend(const std::string& pointer, std::size_t index);

// Thrown by loaders and by query resolution for input that cannot be used.
// The CLI prints every diagnostic on its own line and exits with status 2.
class InputError : public std::runtime_error {
 public:
  explicit InputError(std::vector<Diagnostic> diagnostics);
  explicit InputError(Diagnostic diagnostic) : InputError(std::vector<Diagnostic>{diagnostic}) {}
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

// Collects problems (errors) and accepted-but-noteworthy facts (warnings) while an
// input is read.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(std::string file) : file_(std::move(file)) {}
  void Error(std::string location, std::string message);
  void Warn(std::string location, std::string message);
  bool has_errors() const { return !errors_.empty(); }
  const std::string& file() const { return file_; }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  const std::vector<Diagnostic>& warnings() const { return warnings_; }
  // Throws InputError with every error collected so far, if there is any.
  void ThrowIfErrors() const;

 private:
  Diagnostic Make(std::string location, std::string message) const;
  std::string file_;
  std::vector<Diagnostic> errors_;
  std::vector<Diagnostic> warnings_;
};

}  // namespace sim

// Typed, pointer-tracking access to a parsed JSON document. Every accessor reports a
// problem to the DiagnosticSink with the JSON pointer of the offending value and
// returns an empty result, so a loader can keep going and report every problem of a
// file at once. Objects are checked against the list of keys the format knows:
// unknown keys are errors (scenario files) or warnings (AWS dumps).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/diagnostics.hpp"
#include "sim/core/net.hpp"

namespace sim {

using Json = nlohmann::json;

// Parses JSON text. On a syntax error reports "LINE:COLUMN" as the location and
// returns nullopt. Duplicate keys in an object are reported as errors too, because
// the JSON text would otherwise silently lose one of the values.
std::optional<Json> ParseJsonText(std::string_view text, DiagnosticSink& sink);

class JsonReader {
 public:
  enum class UnknownKeys { kError, kWarn, kIgnore };

  JsonReader(DiagnosticSink& sink, UnknownKeys unknown) : sink_(sink), unknown_(unknown) {}

  DiagnosticSink& sink() { return sink_; }

  // True when `value` is an object; reports keys that are not in `known`.
  bool Object(const Json& value, const std::string& pointer,
              std::initializer_list<std::string_view> known);
  // True when `value` is an array.
  bool Array(const Json& value, const std::string& pointer);

  // Field accessors. A missing optional field yields nullopt without a report; a
  // missing required field and a field of the wrong type are reported.
  std::optional<std::string> String(const Json& object, const std::string& pointer,
                                    std::string_view key, bool required);
  std::optional<bool> Bool(const Json& object, const std::string& pointer, std::string_view key,
                           bool required);
  std::optional<std::int64_t> Int(const Json& object, const std::string& pointer,
                                  std::string_view key, bool required, std::int64_t min,
                                  std::int64_t max);
  std::optional<Cidr> CidrField(const Json& object, const std::string& pointer,
                                std::string_view key, bool required, bool canonical);
  std::optional<Ipv4> Ip(const Json& object, const std::string& pointer, std::string_view key,
                         bool required);
  // One of `allowed` (compared exactly unless `case_insensitive`).
  std::optional<std::string> Enum(const Json& object, const std::string& pointer,
                                  std::string_view key, bool required,
                                  std::initializer_list<std::string_view> allowed,
                                  bool case_insensitive = false);
  std::vector<std::string> StringArray(const Json& object, const std::string& pointer,
                                       std::string_view key, bool required);
  std::vector<Cidr> CidrArray(const Json& object, const std::string& pointer, std::string_view key,
                              bool required, bool canonical);
  std::vector<Ipv4> IpArray(const Json& object, const std::string& pointer, std::string_view key,
                            bool required);

  // Pointer to the array at `key` (nullptr when absent and not required, or not an
  // array, which is reported).
  const Json* ArrayField(const Json& object, const std::string& pointer, std::string_view key,
                         bool required);

  void Error(const std::string& pointer, std::string message) {
    sink_.Error(pointer.empty() ? "/" : pointer, std::move(message));
  }
  void Warn(const std::string& pointer, std::string message) {
    sink_.Warn(pointer.empty() ? "/" : pointer, std::move(message));
  }

 private:
  const Json* Field(const Json& object, const std::string& pointer, std::string_view key,
                    bool required);

  DiagnosticSink& sink_;
  UnknownKeys unknown_;
};

// JSON type names as users know them: "string", "number", "object", ...
const char* JsonTypeName(const Json& value);

}  // namespace sim

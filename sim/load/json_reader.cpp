#include "sim/load/json_reader.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace sim {
namespace {

// Builds a DOM like nlohmann's parser, and also reports duplicate object keys with
// their pointer (nlohmann keeps the last value silently).
class DomBuilder : public nlohmann::json_sax<Json> {
 public:
  DomBuilder(std::string_view text, DiagnosticSink& sink) : text_(text), sink_(sink) {}

  Json Take() { return std::move(root_); }
  bool failed() const { return failed_; }

  bool null() override { return Put(Json(nullptr)); }
  bool boolean(bool v) override { return Put(Json(v)); }
  bool number_integer(number_integer_t v) override { return Put(Json(v)); }
  bool number_unsigned(number_unsigned_t v) override { return Put(Json(v)); }
  bool number_float(number_float_t v, const string_t&) override { return Put(Json(v)); }
  bool string(string_t& v) override { return Put(Json(std::move(v))); }
  bool binary(binary_t& v) override { return Put(Json::binary(std::move(v))); }

  bool start_object(std::size_t) override {
    Json* slot = Slot(Json::object());
    stack_.push_back({slot, {}, {}, 0});
    return true;
  }
  bool key(string_t& k) override {
    Frame& frame = stack_.back();
    if (!frame.keys.insert(k).second) {
      sink_.Error(PointerAppend(Pointer(), k),
                  "duplicate key \"" + k + "\" (JSON keeps only one of the values)");
    }
    frame.key = k;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    Json* slot = Slot(Json::array());
    stack_.push_back({slot, {}, {}, 0});
    return true;
  }
  bool end_array() override {
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& ex) override {
    // nlohmann reports the byte just past the offending token; point at its start.
    const std::size_t end =
        std::min(position >= last_token.size() ? position - last_token.size() : 0, text_.size());
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < end; ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string message = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos) message = message.substr(colon + 2);
    sink_.Error(std::to_string(line) + ":" + std::to_string(column), "invalid JSON: " + message);
    failed_ = true;
    return false;
  }

 private:
  struct Frame {
    Json* value;
    std::set<std::string> keys;
    std::string key;
    std::size_t index;
  };

  // Pointer of the innermost open container.
  std::string Pointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const Frame& f = stack_[i];
      p = f.value->is_object() ? PointerAppend(p, f.key) : PointerAppend(p, f.index - 1);
    }
    return p;
  }

  Json* Slot(Json value) {
    if (stack_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Frame& frame = stack_.back();
    if (frame.value->is_object()) {
      Json& slot = (*frame.value)[frame.key];
      slot = std::move(value);
      return &slot;
    }
    frame.value->push_back(std::move(value));
    ++frame.index;
    return &frame.value->back();
  }
  bool Put(Json value) {
    Slot(std::move(value));
    return true;
  }

  std::string_view text_;
  DiagnosticSink& sink_;
  Json root_;
  std::vector<Frame> stack_;
  bool failed_ = false;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

}  // namespace

std::optional<Json> ParseJsonText(std::string_view text, DiagnosticSink& sink) {
  DomBuilder builder(text, sink);
  Json::sax_parse(text.begin(), text.end(), &builder, nlohmann::detail::input_format_t::json,
                  /*strict=*/true, /*ignore_comments=*/false);
  if (builder.failed()) return std::nullopt;
  return builder.Take();
}

const char* JsonTypeName(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "object";
    case Json::value_t::array:
      return "array";
    case Json::value_t::string:
      return "string";
    case Json::value_t::boolean:
      return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
      return "integer";
    case Json::value_t::number_float:
      return "number";
    default:
      return "value";
  }
}

bool JsonReader::Object(const Json& value, const std::string& pointer,
                        std::initializer_list<std::string_view> known) {
  if (!value.is_object()) {
    Error(pointer, std::string("expected an object, found ") + JsonTypeName(value));
    return false;
  }
  if (const auto d = value.find("description");
      d != value.end() && !d->is_string() &&
      std::find(known.begin(), known.end(), "description") != known.end()) {
    Error(PointerAppend(pointer, "description"),
          std::string("expected a string, found ") + JsonTypeName(*d));
  }
  if (unknown_ == UnknownKeys::kIgnore) return true;
  for (const auto& item : value.items()) {
    if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
    std::string known_list;
    for (auto k : known) {
      if (!known_list.empty()) known_list += ", ";
      known_list += std::string(k);
    }
    const std::string message =
        "unknown key " + Quote(item.key()) + " (known keys: " + known_list + ")";
    if (unknown_ == UnknownKeys::kError) {
      Error(PointerAppend(pointer, item.key()), message);
    } else {
      Warn(PointerAppend(pointer, item.key()),
           "key " + Quote(item.key()) + " is not modelled; skipped");
    }
  }
  return true;
}

bool JsonReader::Array(const Json& value, const std::string& pointer) {
  if (!value.is_array()) {
    Error(pointer, std::string("expected an array, found ") + JsonTypeName(value));
    return false;
  }
  return true;
}

const Json* JsonReader::Field(const Json& object, const std::string& pointer, std::string_view key,
                              bool required) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(std::string(key));
  if (it == object.end()) {
    if (required) Error(PointerAppend(pointer, key), "missing required key " + Quote(key));
    return nullptr;
  }
  return &*it;
}

std::optional<std::string> JsonReader::String(const Json& object, const std::string& pointer,
                                              std::string_view key, bool required) {
  const Json* v = Field(object, pointer, key, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    Error(PointerAppend(pointer, key), std::string("expected a string, found ") + JsonTypeName(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<bool> JsonReader::Bool(const Json& object, const std::string& pointer,
                                     std::string_view key, bool required) {
  const Json* v = Field(object, pointer, key, required);
  if (!v) return std::nullopt;
  if (!v->is_boolean()) {
    Error(PointerAppend(pointer, key),
          std::string("expected true or false, found ") + JsonTypeName(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<std::int64_t> JsonReader::Int(const Json& object, const std::string& pointer,
                                            std::string_view key, bool required, std::int64_t min,
                                            std::int64_t max) {
  const Json* v = Field(object, pointer, key, required);
  if (!v) return std::nullopt;
  if (!v->is_number_integer()) {
    Error(PointerAppend(pointer, key),
          std::string("expected an integer, found ") + JsonTypeName(*v));
    return std::nullopt;
  }
  const std::int64_t n = v->get<std::int64_t>();
  if (n < min || n > max) {
    Error(PointerAppend(pointer, key), std::to_string(n) + " is out of range " +
                                           std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  return n;
}

std::optional<Cidr> JsonReader::CidrField(const Json& object, const std::string& pointer,
                                          std::string_view key, bool required, bool canonical) {
  const auto text = String(object, pointer, key, required);
  if (!text) return std::nullopt;
  const auto cidr = ParseCidr(*text, canonical);
  if (!cidr) {
    const bool parses = ParseCidr(*text, false).has_value();
    Error(PointerAppend(pointer, key),
          Quote(*text) +
              (parses ? " has host bits set (write " + ParseCidr(*text, false)->ToString() + ")"
                      : " is not an IPv4 CIDR block such as \"10.0.0.0/16\""));
    return std::nullopt;
  }
  return cidr;
}

std::optional<Ipv4> JsonReader::Ip(const Json& object, const std::string& pointer,
                                   std::string_view key, bool required) {
  const auto text = String(object, pointer, key, required);
  if (!text) return std::nullopt;
  const auto ip = ParseIpv4(*text);
  if (!ip) {
    Error(PointerAppend(pointer, key), Quote(*text) + " is not an IPv4 address");
    return std::nullopt;
  }
  return ip;
}

std::optional<std::string> JsonReader::Enum(const Json& object, const std::string& pointer,
                                            std::string_view key, bool required,
                                            std::initializer_list<std::string_view> allowed,
                                            bool case_insensitive) {
  const auto text = String(object, pointer, key, required);
  if (!text) return std::nullopt;
  for (auto a : allowed) {
    if (case_insensitive ? EqualsIgnoreCase(a, *text) : a == *text) return std::string(a);
  }
  std::string list;
  for (auto a : allowed) {
    if (!list.empty()) list += ", ";
    list += Quote(a);
  }
  Error(PointerAppend(pointer, key), Quote(*text) + " is not one of " + list);
  return std::nullopt;
}

const Json* JsonReader::ArrayField(const Json& object, const std::string& pointer,
                                   std::string_view key, bool required) {
  const Json* v = Field(object, pointer, key, required);
  if (!v) return nullptr;
  if (!Array(*v, PointerAppend(pointer, key))) return nullptr;
  return v;
}

std::vector<std::string> JsonReader::StringArray(const Json& object, const std::string& pointer,
                                                 std::string_view key, bool required) {
  std::vector<std::string> out;
  const Json* array = ArrayField(object, pointer, key, required);
  if (!array) return out;
  const std::string base = PointerAppend(pointer, key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Json& item = (*array)[i];
    if (!item.is_string()) {
      Error(PointerAppend(base, i), std::string("expected a string, found ") + JsonTypeName(item));
      continue;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

std::vector<Cidr> JsonReader::CidrArray(const Json& object, const std::string& pointer,
                                        std::string_view key, bool required, bool canonical) {
  std::vector<Cidr> out;
  const Json* array = ArrayField(object, pointer, key, required);
  if (!array) return out;
  const std::string base = PointerAppend(pointer, key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Json& item = (*array)[i];
    const std::string p = PointerAppend(base, i);
    if (!item.is_string()) {
      Error(p, std::string("expected a CIDR string, found ") + JsonTypeName(item));
      continue;
    }
    const auto cidr = ParseCidr(item.get<std::string>(), canonical);
    if (!cidr) {
      Error(p, Quote(item.get<std::string>()) + " is not a canonical IPv4 CIDR block");
      continue;
    }
    out.push_back(*cidr);
  }
  return out;
}

std::vector<Ipv4> JsonReader::IpArray(const Json& object, const std::string& pointer,
                                      std::string_view key, bool required) {
  std::vector<Ipv4> out;
  const Json* array = ArrayField(object, pointer, key, required);
  if (!array) return out;
  const std::string base = PointerAppend(pointer, key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    const Json& item = (*array)[i];
    const auto ip = item.is_string() ? ParseIpv4(item.get<std::string>()) : std::nullopt;
    if (!ip) {
      Error(PointerAppend(base, i), "expected an IPv4 address string");
      continue;
    }
    out.push_back(*ip);
  }
  return out;
}

}  // namespace sim

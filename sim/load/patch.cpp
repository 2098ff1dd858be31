#include "sim/load/patch.hpp"

namespace sim {
namespace {

// nlohmann's messages start with "[json.exception.out_of_range.403] "; keep the words.
std::string Reason(const nlohmann::json::exception& e) {
  std::string what = e.what();
  const std::size_t end = what.find("] ");
  return end == std::string::npos ? what : what.substr(end + 2);
}

}  // namespace

Json ApplyPatch(const Json& document, const Json& patch, const std::string& patch_source) {
  if (patch.is_object()) {  // RFC 7396: null deletes a member, objects merge, the rest replaces
    Json out = document;
    out.merge_patch(patch);
    return out;
  }
  if (!patch.is_array()) {
    throw InputError(Diagnostic{patch_source, "/",
                                "a patch is a JSON Patch (RFC 6902: an array of operations) or "
                                "a JSON Merge Patch (RFC 7396: an object), not " +
                                    std::string(patch.type_name())});
  }
  Json out = document;
  for (std::size_t i = 0; i < patch.size(); ++i) {
    try {
      out = out.patch(Json::array({patch[i]}));
    } catch (const nlohmann::json::exception& e) {
      std::string reason = Reason(e);
      if (e.id == 501 && patch[i].contains("path") && patch[i].contains("value")) {
        reason = "test failed: the value at " + patch[i]["path"].dump() + " is not " +
                 patch[i]["value"].dump();
      }
      throw InputError(Diagnostic{patch_source, "/" + std::to_string(i), reason});
    }
  }
  return out;
}

}  // namespace sim

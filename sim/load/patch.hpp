// Edits of a scenario document for `vpcsim whatif --patch`: a JSON Patch (RFC 6902, an
// array of operations) or a JSON Merge Patch (RFC 7396, an object), told apart by the
// patch's top-level type. Works on parsed documents; the CLI reads the files.
#pragma once

#include <string>

#include "sim/load/json_reader.hpp"

namespace sim {

// Applies `patch` to `document`. Operations of a JSON Patch are applied one by one, so
// an error names the patch file and the failing operation (/N) with nlohmann's reason
// (a missing path, a failed test, a malformed operation). Throws InputError.
Json ApplyPatch(const Json& document, const Json& patch, const std::string& patch_source);

}  // namespace sim

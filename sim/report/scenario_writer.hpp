// Writes a Scenario in the project's scenario format (scenarios/schema/
// scenario.schema.json), so that `vpcsim import` turns an AWS dump into a file users can
// edit for what-if analysis. Loading the output gives back the same model: the objects
// AWS creates implicitly (and ApplyAwsDefaults adds again on loading) are left out, and
// every other field is written, defaults included, so that nothing depends on the
// loader's defaults. Keys and lists keep the model's order; output is deterministic.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/model/scenario.hpp"

namespace sim {

nlohmann::ordered_json ScenarioToJson(const Scenario& scenario);

}  // namespace sim

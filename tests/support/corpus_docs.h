// The documents of the reference corpus (../shared/corpus) that capstan has an embedded schema
// for, as JSON, read once per test run. Callers check RequireSharedData("corpus") first.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace capstan::testing {

struct CorpusDoc {
  std::string file;
  nlohmann::json doc;
  std::string schema;  // embedded file name, e.g. "deployment-apps-v1.json"
};

// Every document in the corpus whose kind has an embedded schema, outside Helm templates/ and
// files that do not parse cleanly, in file order.
const std::vector<CorpusDoc>& Corpus();

}  // namespace capstan::testing

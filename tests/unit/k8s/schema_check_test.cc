#include "k8s/schema_check.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "core/embedded.h"
#include "k8s/schema_quick.h"
#include "k8s/strict.h"
#include "support/corpus_docs.h"
#include "support/shared_data.h"
#include "yaml/parser.h"
#include "yaml/to_json.h"

namespace capstan::k8s {
namespace {

using nlohmann::json;

std::string Describe(const std::vector<Violation>& violations) {
  std::string out;
  for (const Violation& v : violations) {
    std::string path;
    for (const std::string& p : v.path) path += "/" + p;
    out += path + " | " + v.message + " | " + (v.at_key ? "key" : "value") + " | " +
           std::to_string(static_cast<int>(v.kind)) + " | " + v.field + "\n";
  }
  return out;
}

// One embedded schema in its three forms: compiled up front (CompileSchema, the reference), read
// in place (EmbeddedSchema), and the in-place check alone.
struct Forms {
  std::shared_ptr<const Schema> compiled;
  std::shared_ptr<const Schema> embedded;
  std::unique_ptr<internal::QuickSchema> quick;
};

Forms Load(const std::string& name, bool strict) {
  const std::string_view text = embedded::Find("k8s/" + name);
  REQUIRE_FALSE(text.empty());
  json doc = json::parse(text);
  if (strict) MakeStrict(doc);
  auto compiled = CompileSchema(std::move(doc), "embedded k8s/" + name);
  REQUIRE(compiled.ok());
  return {*compiled, EmbeddedSchema(text, "embedded k8s/" + name, strict),
          std::make_unique<internal::QuickSchema>(text, strict)};
}

struct Tally {
  std::size_t instances = 0, quick_conforms = 0, violating = 0;
};

// The in-place check may say "conforms" only where the compiled schema finds nothing, and the
// embedded schema's violations are the compiled one's, byte for byte.
void Agree(const Forms& forms, const json& instance, Tally& tally) {
  const std::vector<Violation> want = Check(*forms.compiled, instance);
  const bool conforms = forms.quick->Check(instance) == internal::QuickVerdict::kConforms;
  ++tally.instances;
  tally.quick_conforms += conforms;
  tally.violating += !want.empty();
  INFO(instance.dump().substr(0, 600));
  INFO("compiled: " << Describe(want));
  if (conforms) CHECK(want.empty());

  CHECK(Describe(Check(*forms.embedded, instance)) == Describe(want));
}

// Every scalar leaf of doc, as a JSON pointer.
void Leaves(const json& doc, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
  if (doc.is_object()) {
    for (const auto& [k, v] : doc.items()) Leaves(v, at / k, out);
  } else if (doc.is_array()) {
    for (std::size_t i = 0; i < doc.size(); ++i) Leaves(doc[i], at / i, out);
  } else {
    out.push_back(at);
  }
}

// Documents that differ from doc in one place: a leaf of another type, null, a string no enum
// holds, a number below any minimum, a key removed, an unknown key added.
std::vector<json> Mutants(const json& doc, std::mt19937& rng) {
  std::vector<json::json_pointer> leaves;
  Leaves(doc, json::json_pointer(), leaves);
  std::vector<json> out;
  if (leaves.empty()) return out;
  std::uniform_int_distribution<std::size_t> pick(0, leaves.size() - 1);
  for (int n = 0; n < 6; ++n) {
    const json::json_pointer leaf = leaves[pick(rng)];
    if (leaf.empty()) continue;
    json m = doc;
    json& v = m[leaf];
    switch (n) {
      case 0:
        v = v.is_string() ? json(7) : json("seven");
        break;
      case 1:
        v = nullptr;
        break;
      case 2:
        v = "NotAnAllowedValue";
        break;
      case 3:
        v = -5;
        break;
      case 4:
        if (m[leaf.parent_pointer()].is_object()) m[leaf.parent_pointer()].erase(leaf.back());
        break;
      case 5:
        if (m[leaf.parent_pointer()].is_object()) m[leaf.parent_pointer()]["replcas"] = 1;
        break;
    }
    out.push_back(std::move(m));
  }
  json spec_typo = doc;
  if (spec_typo.contains("spec") && spec_typo["spec"].is_object()) {
    spec_typo["spec"]["replcas"] = 1;
    out.push_back(std::move(spec_typo));
  }
  return out;
}

TEST_CASE("an embedded schema read in place judges every corpus document as the compiled one",
          "[k8s]") {
  if (!testing::RequireSharedData("corpus")) return;
  const bool strict = GENERATE(false, true);
  std::map<std::string, Forms> forms;
  std::mt19937 rng(16);
  Tally tally;
  for (const testing::CorpusDoc& c : testing::Corpus()) {
    INFO(c.file << " (" << c.schema << (strict ? ", strict)" : ")"));
    auto it = forms.find(c.schema);
    if (it == forms.end()) it = forms.emplace(c.schema, Load(c.schema, strict)).first;
    Agree(it->second, c.doc, tally);
    for (const json& mutant : Mutants(c.doc, rng)) Agree(it->second, mutant, tally);
  }
  WARN((strict ? "strict: " : "loose: ")
       << tally.instances << " instances, " << tally.violating << " with violations, "
       << tally.quick_conforms << " judged in place");
  CHECK(tally.instances > 2000);
  CHECK(tally.violating > tally.instances / 4);
  // The point of reading in place: a conforming document never compiles the schema.
  CHECK(tally.quick_conforms == tally.instances - tally.violating);
}

// The in-place check of a YAML node must answer as the same check of the node's JSON conversion:
// the same verdict, or kUnknown where the conversion could reshape the node.
void AgreeInPlace(const internal::QuickSchema& quick, const yaml::Document& doc, bool without_sops,
                  std::size_t& judged) {
  auto converted = yaml::ToJson(doc, doc.root(), yaml::Limits{}, nullptr);
  REQUIRE(converted.has_value());
  if (without_sops && converted->is_object() && converted->contains("sops") &&
      (*converted)["sops"].is_object())
    converted->erase("sops");
  const internal::QuickVerdict in_place = quick.Check(doc, doc.root(), without_sops);
  const internal::QuickVerdict as_json = quick.Check(*converted);
  INFO(converted->dump().substr(0, 600));
  if (in_place != internal::QuickVerdict::kUnknown) CHECK(in_place == as_json);
  judged += in_place == internal::QuickVerdict::kConforms;
}

yaml::Document ParseOne(const std::string& text) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  REQUIRE(parsed.issues.empty());
  REQUIRE(parsed.documents.size() == 1);
  return std::move(parsed.documents[0]);
}

TEST_CASE("a YAML node is judged in place as its JSON conversion is, on the corpus and mutants",
          "[k8s]") {
  if (!testing::RequireSharedData("corpus")) return;
  const bool strict = GENERATE(false, true);
  std::map<std::string, std::unique_ptr<internal::QuickSchema>> quick;
  std::mt19937 rng(19);
  std::size_t documents = 0, judged = 0;
  for (const testing::CorpusDoc& c : testing::Corpus()) {
    INFO(c.file << " (" << c.schema << (strict ? ", strict)" : ")"));
    auto& q = quick[c.schema];
    if (!q) q = std::make_unique<internal::QuickSchema>(embedded::Find("k8s/" + c.schema), strict);
    // The document as its file writes it (block style, plain scalars, tags, comments).
    std::ifstream in(c.file);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const yaml::Document& doc : yaml::Parse(text).documents) {
      auto converted = yaml::ToJson(doc, doc.root(), yaml::Limits{}, nullptr);
      if (!converted || *converted != c.doc) continue;
      AgreeInPlace(*q, doc, true, judged);
      ++documents;
    }
    // Mutants, written as JSON text (which YAML reads) so their types survive.
    for (const json& mutant : Mutants(c.doc, rng)) {
      AgreeInPlace(*q, ParseOne(mutant.dump()), false, judged);
      ++documents;
    }
  }
  WARN((strict ? "strict: " : "loose: ")
       << documents << " YAML documents, " << judged << " judged conforming in place");
  CHECK(documents > 2000);
  CHECK(judged > documents / 4);
}

TEST_CASE("what the JSON conversion could reshape is not judged in place", "[k8s]") {
  const std::string text =
      R"({"type": "object", "properties": {"n": {"type": "integer"}, "a": {}}})";
  const internal::QuickSchema quick(text, true);
  auto verdict = [&](const std::string& yaml_text, bool without_sops = false) {
    yaml::Document doc = ParseOne(yaml_text);
    return quick.Check(doc, doc.root(), without_sops);
  };
  CHECK(verdict("n: 1\n") == internal::QuickVerdict::kConforms);
  CHECK(verdict("n: one\n") == internal::QuickVerdict::kFails);
  CHECK(verdict("x: 1\n") == internal::QuickVerdict::kFails);  // strict: an unknown key
  // An alias, a merge key, a key that is a collection: the conversion decides.
  CHECK(verdict("a: &a 1\nn: *a\n") == internal::QuickVerdict::kUnknown);
  CHECK(verdict("<<: {n: 1}\n") == internal::QuickVerdict::kUnknown);
  CHECK(verdict("? [n]\n: 1\n") == internal::QuickVerdict::kUnknown);
  // SOPS metadata at the root is left out as decryption leaves it out, and only a mapping.
  CHECK(verdict("n: 1\nsops: {mac: x}\n", true) == internal::QuickVerdict::kConforms);
  CHECK(verdict("n: 1\nsops: {mac: x}\n", false) == internal::QuickVerdict::kFails);
  CHECK(verdict("n: 1\nsops: x\n", true) == internal::QuickVerdict::kFails);
}

TEST_CASE("an in-place check leaves a keyword it does not know to the compiled schema", "[k8s]") {
  const std::string text = R"({"type":"object","properties":{"n":{"type":"integer","maximum":3}}})";
  const internal::QuickSchema quick(text, false);
  CHECK(quick.Check(json{{"n", 2}}) == internal::QuickVerdict::kUnknown);
  CHECK(quick.Check(json{{"m", 2}}) == internal::QuickVerdict::kConforms);
  const auto embedded = EmbeddedSchema(text, "test", false);
  CHECK(Check(*embedded, json{{"n", 2}}).empty());
  const std::vector<Violation> v = Check(*embedded, json{{"n", 4}});
  REQUIRE(v.size() == 1);
  CHECK(v[0].path == std::vector<std::string>{"n"});
}

TEST_CASE("an in-place check follows local refs and refuses others", "[k8s]") {
  const std::string text =
      R"({"definitions":{"a.B":{"type":"string","enum":["x","y"]}},)"
      R"("properties":{"b":{"$ref":"#/definitions/a.B"},"c":{"$ref":"other.json#/x"}}})";
  const internal::QuickSchema quick(text, false);
  CHECK(quick.Check(json{{"b", "x"}}) == internal::QuickVerdict::kConforms);
  CHECK(quick.Check(json{{"b", "z"}}) == internal::QuickVerdict::kFails);
  CHECK(quick.Check(json{{"b", 1}}) == internal::QuickVerdict::kFails);
  CHECK(quick.Check(json{{"c", 1}}) == internal::QuickVerdict::kUnknown);
}

TEST_CASE("strict in place forbids undeclared keys where the strict form would", "[k8s]") {
  const std::string text = R"({"properties":{"a":{"properties":{"x":{"type":"string"}}},)"
                           R"("m":{"additionalProperties":{"type":"string"}}}})";
  const json typo = {{"a", {{"y", "1"}}}};
  CHECK(internal::QuickSchema(text, false).Check(typo) == internal::QuickVerdict::kConforms);
  CHECK(internal::QuickSchema(text, true).Check(typo) == internal::QuickVerdict::kFails);
  const json map = {{"m", {{"any", "1"}}}};
  CHECK(internal::QuickSchema(text, true).Check(map) == internal::QuickVerdict::kConforms);
  CHECK(internal::QuickSchema(text, true).Check(json{{"m", {{"any", 1}}}}) ==
        internal::QuickVerdict::kFails);
}

TEST_CASE("text that is not a schema object is never judged in place", "[k8s]") {
  for (const char* text : {"", "[]", "{\"type\":", "{\"definitions\":[1,", "nul"}) {
    INFO(text);
    CHECK(internal::QuickSchema(text, false).Check(json::object()) ==
          internal::QuickVerdict::kUnknown);
  }
  const auto broken = EmbeddedSchema("{\"type\": \"object\", \"maximum\": [", "broken", false);
  const std::vector<Violation> v = Check(*broken, json::object());
  REQUIRE(v.size() == 1);
  CHECK(v[0].message == "schema broken is not a JSON object");
}

}  // namespace
}  // namespace capstan::k8s

#include "k8s/api_versions.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <mutex>
#include <set>

#include "core/embedded.h"
#include "core/strings.h"
#include "semver/version.h"
#include "yaml/parser.h"

namespace capstan::k8s {
namespace {

constexpr std::string_view kEmbeddedName = "api-versions.yaml";

// The keys a row may have; the first ones are required.
constexpr std::string_view kRowKeys[] = {"product", "group", "version",    "replacement",
                                         "source",  "kind",  "deprecated", "removed"};
constexpr std::size_t kRequiredRowKeys = 5;

bool AllDigits(std::string_view s) {
  if (s.empty() || s.size() > 4) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

// "N.N", nothing else: the table names releases, not patch versions.
std::optional<Release> ParseRelease(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view major = text.substr(0, dot);
  std::string_view minor = text.substr(dot + 1);
  if (!AllDigits(major) || !AllDigits(minor)) return std::nullopt;
  return Release{std::stoi(std::string(major)), std::stoi(std::string(minor))};
}

class TableParser {
 public:
  TableParser(std::string_view name, const yaml::Document& doc, int first_line)
      : name_(name), doc_(doc), lines_before_(first_line - 1) {}

  Status Error(yaml::NodeId at, const std::string& what) const {
    const yaml::Position& pos = at == yaml::kNoNode ? doc_.start() : doc_.node(at).pos;
    return Status::InvalidArgument(std::string(name_) + ":" +
                                   std::to_string(pos.line + lines_before_) + ":" +
                                   std::to_string(pos.column) + ": " + what);
  }

  Result<ApiVersionRow> Row(yaml::NodeId id) const {
    const yaml::Node& row = doc_.node(id);
    if (row.type != yaml::NodeType::kMapping) return Error(id, "a row must be a mapping");
    ApiVersionRow out;
    out.line = row.pos.line + lines_before_;
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i + 1 < row.children.size(); i += 2) {
      yaml::NodeId key_id = row.children[i];
      yaml::NodeId value_id = doc_.Resolve(row.children[i + 1]);
      const std::string& key = doc_.node(key_id).value;
      const std::string* value = doc_.ScalarValue(value_id);
      auto known = std::find(std::begin(kRowKeys), std::end(kRowKeys), key);
      if (known == std::end(kRowKeys)) return Error(key_id, "unknown key " + QuoteForMessage(key));
      if (value == nullptr) return Error(value_id, QuoteForMessage(key) + " must be a string");
      seen.insert(*known);
      if (key == "product") out.product = *value;
      if (key == "group") out.group = *value;
      if (key == "version") out.version = *value;
      if (key == "kind") out.kind = *value;
      if (key == "replacement") out.replacement = *value;
      if (key == "source") out.source = *value;
      if (key == "deprecated" || key == "removed") {
        std::optional<Release> release = ParseRelease(*value);
        if (!release)
          return Error(value_id, QuoteForMessage(key) +
                                     " must be a release such as \"1.22\", not " +
                                     QuoteForMessage(*value));
        (key == "deprecated" ? out.deprecated : out.removed) = release;
      }
      if (key != "group" && value->empty())
        return Error(value_id, QuoteForMessage(key) + " must not be empty");
      if (key == "version" && !IsPrereleaseVersion(*value))
        return Error(value_id, "'version' must be a pre-release version such as v1beta1, not " +
                                   QuoteForMessage(*value) + ": GA versions are never removed");
    }
    for (std::size_t k = 0; k < kRequiredRowKeys; ++k)
      if (!seen.contains(kRowKeys[k]))
        return Error(id, "the row has no " + QuoteForMessage(kRowKeys[k]));
    if (!out.deprecated && !out.removed)
      return Error(id, "the row has neither 'deprecated' nor 'removed'");
    if (out.product == kKubernetesProduct && !out.deprecated)
      return Error(id, "a Kubernetes row needs 'deprecated'");
    if (out.deprecated && out.removed && *out.removed < *out.deprecated)
      return Error(id, "'removed' " + out.removed->ToString() + " comes before 'deprecated' " +
                           out.deprecated->ToString());
    return out;
  }

 private:
  std::string_view name_;
  const yaml::Document& doc_;
  int lines_before_;  // in the file, before the text parsed
};

// Parsing the whole built-in table costs twice what validating a small file does, and most
// pre-release apiVersions (kustomize.config.k8s.io/v1beta1, argoproj.io/v1alpha1) have no row.
// The file keeps each row's group and version on consecutive lines, and a row's lines indented
// under its "  - " (its header says so, and api_versions_test checks that every row is found
// this way): so a scan of the text finds every group/version with rows, and where they are.
struct RowText {
  std::string_view group;  // as spelled: `""` for the core group
  std::string_view version;
  std::string_view text;  // the row's lines, from its "  - " through its last line's '\n'
  int line = 0;           // of its first line in the file
};

int NewLines(std::string_view text) {
  int n = 0;
  for (std::size_t at = text.find('\n'); at != std::string_view::npos; at = text.find('\n', at + 1))
    ++n;
  return n;
}

const std::vector<RowText>& BuiltinRowTexts() {
  static const std::vector<RowText> rows = [] {
    constexpr std::string_view kGroup = "\n    group: ";
    constexpr std::string_view kVersion = "\n    version: ";
    constexpr std::string_view kItem = "\n  - ";
    std::vector<RowText> out;
    std::string_view text = embedded::Find(kEmbeddedName);
    std::size_t counted = 0;
    int line = 1;
    for (std::size_t at = text.find(kGroup); at != std::string_view::npos;
         at = text.find(kGroup, at + 1)) {
      std::size_t g = at + kGroup.size();
      std::size_t g_end = text.find('\n', g);
      if (g_end == std::string_view::npos || !text.substr(g_end).starts_with(kVersion)) continue;
      std::size_t v = g_end + kVersion.size();
      std::size_t v_end = std::min(text.find('\n', v), text.size());
      std::size_t item = text.rfind(kItem, at);
      if (item == std::string_view::npos) continue;
      std::size_t begin = item + 1;
      std::size_t end = v_end;  // through the following lines indented under the item
      while (end < text.size() && text.substr(end + 1).starts_with("    ")) {
        std::size_t next = text.find('\n', end + 1);
        end = next == std::string_view::npos ? text.size() : next;
      }
      end = std::min(end + 1, text.size());
      line += NewLines(text.substr(counted, begin - counted));
      counted = begin;
      out.push_back({text.substr(g, g_end - g), text.substr(v, v_end - v),
                     text.substr(begin, end - begin), line});
    }
    return out;
  }();
  return rows;
}

// The built-in rows of one group/version alone, parsed at their own lines (blank lines stand
// in for the rest of the file); nullopt when it has none.
std::optional<ApiVersionTable> ParseBuiltinRows(std::string_view group, std::string_view version) {
  std::string snippet = "apis:\n";
  int first_line = 0;  // of "apis:": the line above the first row
  int cursor = 0;      // the line of the file the snippet's next line stands for
  for (const RowText& row : BuiltinRowTexts()) {
    if (row.version != version || row.group != group) continue;
    if (cursor == 0) cursor = (first_line = row.line - 1) + 1;
    snippet.append(static_cast<std::size_t>(std::max(0, row.line - cursor)), '\n');
    snippet.append(row.text);
    cursor = row.line + NewLines(row.text);
  }
  if (cursor == 0) return std::nullopt;
  auto table = ApiVersionTable::Parse(snippet, "schemas/api-versions.yaml", first_line);
  return table.ok() ? std::move(*table) : ApiVersionTable();
}

// ParseBuiltinRows, once per group/version. Thread-safe.
const ApiVersionTable* BuiltinRowsFor(std::string_view group, std::string_view version) {
  if (group.empty()) group = "\"\"";
  std::string key = std::string(group) + " " + std::string(version);
  static std::mutex mutex;
  static std::map<std::string, std::optional<ApiVersionTable>> parsed;
  std::lock_guard<std::mutex> lock(mutex);
  auto it = parsed.find(key);
  if (it == parsed.end()) it = parsed.emplace(key, ParseBuiltinRows(group, version)).first;
  return it->second ? &*it->second : nullptr;
}

}  // namespace

std::string Release::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

Result<ApiVersionTable> ApiVersionTable::Parse(std::string_view text, std::string_view name,
                                               int first_line) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  if (!parsed.issues.empty()) {
    const yaml::Issue& issue = parsed.issues.front();
    return Status::InvalidArgument(std::string(name) + ":" +
                                   std::to_string(issue.pos.line + first_line - 1) + ":" +
                                   std::to_string(issue.pos.column) + ": " + issue.message);
  }
  if (parsed.documents.size() != 1)
    return Status::InvalidArgument(std::string(name) + ": expected one YAML document");
  const yaml::Document& doc = parsed.documents.front();
  TableParser parser(name, doc, first_line);
  yaml::NodeId root = doc.root();
  if (root == yaml::kNoNode || doc.node(root).type != yaml::NodeType::kMapping)
    return parser.Error(root, "expected a mapping with 'apis'");
  const yaml::Node& top = doc.node(root);
  for (std::size_t i = 0; i < top.children.size(); i += 2) {
    if (doc.node(top.children[i]).value != "apis")
      return parser.Error(top.children[i],
                          "unknown key " + QuoteForMessage(doc.node(top.children[i]).value));
  }
  yaml::NodeId apis = doc.Resolve(doc.Get(root, "apis"));
  if (apis == yaml::kNoNode || doc.node(apis).type != yaml::NodeType::kSequence)
    return parser.Error(apis == yaml::kNoNode ? root : apis, "'apis' must be a list of rows");

  ApiVersionTable table;
  for (yaml::NodeId item : doc.node(apis).children) {
    Result<ApiVersionRow> row = parser.Row(doc.Resolve(item));
    if (!row.ok()) return row.status();
    GroupVersion& gv = table.by_group_version_[ApiVersion({row->group, row->version, ""})];
    std::size_t index = table.rows_.size();
    bool fresh =
        row->kind.empty() ? !gv.every_kind.has_value() : gv.kinds.emplace(row->kind, index).second;
    if (!fresh) {
      return parser.Error(item, "a second row for " + ApiVersion({row->group, row->version, ""}) +
                                    (row->kind.empty() ? " (every kind)" : " " + row->kind));
    }
    if (row->kind.empty()) gv.every_kind = index;
    table.rows_.push_back(std::move(*row));
  }
  return table;
}

const ApiVersionRow* ApiVersionTable::Find(const GroupVersionKind& gvk) const {
  auto gv = by_group_version_.find(ApiVersion({gvk.group, gvk.version, ""}));
  if (gv == by_group_version_.end()) return nullptr;
  if (auto kind = gv->second.kinds.find(gvk.kind); kind != gv->second.kinds.end())
    return &rows_[kind->second];
  return gv->second.every_kind ? &rows_[*gv->second.every_kind] : nullptr;
}

const ApiVersionTable& BuiltinApiVersions() {
  static const ApiVersionTable table = [] {
    Result<ApiVersionTable> parsed =
        ApiVersionTable::Parse(embedded::Find(kEmbeddedName), "schemas/api-versions.yaml");
    return parsed.ok() ? std::move(*parsed) : ApiVersionTable();
  }();
  return table;
}

Result<Release> ParseKubernetesVersion(std::string_view text) {
  if (text == "master") return kEmbeddedKubernetesVersion;
  auto invalid = [&] {
    return Status::InvalidArgument(
        "must be a Kubernetes release (1.29, 1.29.3, v1.29.3-eks-1552ad0) or master, not " +
        QuoteForMessage(text));
  };
  // X.Y, or X.Y.Z with an optional suffix: "1" alone names no minor release.
  std::string_view rest = text.starts_with('v') ? text.substr(1) : text;
  std::size_t suffix = rest.find_first_of("-+");
  std::string_view numbers = rest.substr(0, suffix);
  auto dots = std::count(numbers.begin(), numbers.end(), '.');
  if (dots != 2 && (dots != 1 || suffix != std::string_view::npos)) return invalid();
  Result<semver::Version> version = semver::ParseCoerce(text, semver::LeadingZeros::kReject);
  if (!version.ok() || version->major() != 1 || version->minor() > 999) return invalid();
  return Release{1, static_cast<int>(version->minor())};
}

bool IsPrereleaseVersion(std::string_view version) {
  auto digits_end = [&](std::size_t from) {
    while (from < version.size() && std::isdigit(static_cast<unsigned char>(version[from]))) ++from;
    return from;
  };
  if (!version.starts_with('v')) return false;
  std::size_t major_end = digits_end(1);
  if (major_end == 1) return false;
  for (std::string_view stage : {"alpha", "beta"}) {
    if (version.substr(major_end).starts_with(stage)) {
      std::size_t from = major_end + stage.size();
      std::size_t end = digits_end(from);
      return end > from && end == version.size();
    }
  }
  return false;
}

ApiVerdict JudgeApiVersion(const GroupVersionKind& gvk, Release target,
                           const ApiVersionTable* table) {
  if (!IsPrereleaseVersion(gvk.version)) return {};
  if (table == nullptr) table = BuiltinRowsFor(gvk.group, gvk.version);
  if (table == nullptr) return {};
  const ApiVersionRow* row = table->Find(gvk);
  if (row == nullptr) return {};
  bool kubernetes = row->product == kKubernetesProduct;
  if (row->removed && (!kubernetes || *row->removed <= target)) return {ApiStatus::kRemoved, row};
  if (row->deprecated && (!kubernetes || *row->deprecated <= target))
    return {ApiStatus::kDeprecated, row};
  return {ApiStatus::kServed, row};
}

std::optional<ApiFinding> ApiVersionFinding(const GroupVersionKind& gvk, const ApiVerdict& verdict,
                                            std::string_view served_by) {
  if (verdict.row == nullptr ||
      (verdict.status != ApiStatus::kRemoved && verdict.status != ApiStatus::kDeprecated))
    return std::nullopt;
  const ApiVersionRow& row = *verdict.row;
  std::string what = ApiVersion(gvk) + " " + gvk.kind;
  std::string use = ": use " + row.replacement;
  if (verdict.status == ApiStatus::kRemoved) {
    std::string removed = " was removed in " + row.product + " " + row.removed->ToString();
    if (served_by.empty())
      return ApiFinding{"removed-api", report::Severity::kError, what + removed + use};
    return ApiFinding{
        "deprecated-api", report::Severity::kWarning,
        what + removed + ", but " + std::string(served_by) + " still serves it" + use};
  }
  std::string message =
      what + " is deprecated since " + row.product + " " + row.deprecated->ToString();
  if (row.removed) message += " and will be removed in " + row.removed->ToString();
  return ApiFinding{"deprecated-api", report::Severity::kWarning, message + use};
}

std::vector<report::RuleInfo> ApiVersionRules() {
  return {
      {"removed-api",
       "The apiVersion is no longer served; the message names its replacement.",
       "The resource uses an apiVersion that the target Kubernetes release (--kubernetes-version, "
       "1.34 by default) no longer serves, or that Flux, External Secrets Operator or "
       "cert-manager removed from their CustomResourceDefinitions. Applying it fails with \"no "
       "matches for kind\", and a sync that used to work breaks at the next upgrade.",
       "Move the resource to the apiVersion the message names and adjust the fields that changed "
       "between the versions (the release note or deprecation guide the table cites lists them). "
       "If your cluster is older than 1.34, pass its version with --kubernetes-version.",
       "",
       {"kubernetes", "deprecation", "correctness"}},
      {"deprecated-api",
       "The apiVersion is deprecated; the message names when it goes and its replacement.",
       "The resource uses an apiVersion that is still served but deprecated: the target "
       "Kubernetes release deprecated it and a later one removes it, or a controller's "
       "CustomResourceDefinition marks it deprecated. Also reported instead of removed-api when "
       "a CustomResourceDefinition or OpenAPI document of your own cluster still serves a "
       "version upstream has removed.",
       "Move the resource to the apiVersion the message names before the release that removes "
       "it; nothing breaks until then.",
       "",
       {"kubernetes", "deprecation", "maintainability"}},
  };
}

}  // namespace capstan::k8s

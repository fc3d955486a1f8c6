// .capstan.yaml `images:` and `registries:`: strict, because a broken config stops the cycle.
#include <algorithm>
#include <set>

#include "core/strings.h"
#include "image/platform.h"
#include "image/reference.h"
#include "policy/sources.h"
#include "yaml/parser.h"
#include "yaml/scalar.h"

namespace capstan::policy {
namespace {

using yaml::NodeId;
using yaml::NodeType;

class Reader {
 public:
  Reader(std::string_view file, const yaml::Document& doc) : file_(file), doc_(doc) {}

  const yaml::Document& doc() const { return doc_; }

  Status At(NodeId id, const std::string& why) const {
    const yaml::Node& n = doc_.node(id);
    return Status::InvalidArgument(file_ + ":" + std::to_string(n.pos.line) + ":" +
                                   std::to_string(n.pos.column) + ": " + why);
  }

  PolicySource Source(NodeId id, std::string label) const {
    const yaml::Node& n = doc_.node(id);
    return PolicySource{file_, n.pos.line, n.pos.column, std::move(label)};
  }

  Result<std::string> String(NodeId id, const std::string& name) const {
    const yaml::Node& n = doc_.node(doc_.Resolve(id));
    if (n.type != NodeType::kScalar) return At(id, QuoteForMessage(name) + " must be a string");
    return n.value;
  }

  // A string or a list of strings.
  Result<std::vector<std::string>> Strings(NodeId id, const std::string& name) const {
    NodeId v = doc_.Resolve(id);
    if (doc_.node(v).type == NodeType::kScalar) return std::vector<std::string>{doc_.node(v).value};
    if (doc_.node(v).type != NodeType::kSequence)
      return At(id, QuoteForMessage(name) + " must be a string or a list of strings");
    std::vector<std::string> out;
    for (NodeId item : doc_.node(v).children) {
      const yaml::Node& n = doc_.node(doc_.Resolve(item));
      if (n.type != NodeType::kScalar)
        return At(item, QuoteForMessage(name) + " items must be strings");
      out.push_back(n.value);
    }
    return out;
  }

  Result<bool> Bool(NodeId id, const std::string& name) const {
    const yaml::Node& n = doc_.node(doc_.Resolve(id));
    if (n.type == NodeType::kScalar) {
      yaml::ScalarValue v = yaml::ResolveScalar(n);
      if (v.kind == yaml::ScalarKind::kBool) return v.b;
    }
    return At(id, QuoteForMessage(name) + " must be true or false");
  }

  // Starts reading the section entry `at` ("images[2]"): sets `source`, and returns the string
  // of its required key `key`, whose value node goes to `node`.
  Result<std::string> Open(NodeId entry, const std::string& at, std::string_view key,
                           PolicySource& source, NodeId& node) const {
    source = Source(entry, file_ + " " + at);
    std::string name = at + "." + std::string(key);
    node = doc_.Get(entry, key);
    if (node == yaml::kNoNode) return At(entry, "missing key '" + name + "'");
    return String(node, name);
  }

  // The entries of a top-level list section; empty when the section is absent or null.
  Result<std::vector<NodeId>> Section(NodeId root, std::string_view key) const {
    NodeId v = doc_.Get(root, key);
    if (v == yaml::kNoNode) return std::vector<NodeId>{};
    v = doc_.Resolve(v);
    if (doc_.node(v).type == NodeType::kNull) return std::vector<NodeId>{};
    if (doc_.node(v).type != NodeType::kSequence)
      return At(v, QuoteForMessage(key) + " must be a list");
    std::vector<NodeId> out;
    for (NodeId item : doc_.node(v).children) {
      NodeId r = doc_.Resolve(item);
      if (doc_.node(r).type != NodeType::kMapping)
        return At(item, QuoteForMessage(key) + " items must be mappings");
      out.push_back(r);
    }
    return out;
  }

 private:
  std::string file_;
  const yaml::Document& doc_;
};

// A path relative to the repository root that stays inside it.
bool InsideRepository(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = std::min(path.find('/', start), path.size());
    if (path.substr(start, end - start) == "..") return false;
    start = end + 1;
  }
  return true;
}

bool ValidFluxPolicy(std::string_view name) {
  std::size_t colon = name.find(':');
  return colon != std::string_view::npos && colon + 1 < name.size() &&
         name.find(':', colon + 1) == std::string_view::npos;
}

// Checks one part of a tag policy, so an error points at the key that holds it.
Status CheckPart(const Reader& r, NodeId key, const image::TagPolicy& part) {
  if (key == yaml::kNoNode) return Status::Ok();
  Status s = image::ValidatePolicy(part);
  return s.ok() ? s : r.At(key, s.message());
}

Result<ImagePolicy> ReadImage(const Reader& r, NodeId entry, std::size_t index) {
  const yaml::Document& doc = r.doc();
  std::string at = "images[" + std::to_string(index) + "]";
  ImagePolicy p;
  NodeId image = yaml::kNoNode;
  Result<std::string> text = r.Open(entry, at, "image", p.source, image);
  if (!text.ok()) return text.status();
  Result<image::Reference> ref = image::ParseReference(*text);
  if (!ref.ok()) return r.At(image, ref.status().message());
  if (!ref->digest.empty()) return r.At(image, "'" + at + ".image' must not pin a digest");
  p.image = *ref;

  auto string_key = [&](std::string_view key, std::string& out) -> Status {
    NodeId v = doc.Get(entry, key);
    if (v == yaml::kNoNode) return Status::Ok();
    Result<std::string> s = r.String(v, at + "." + std::string(key));
    if (!s.ok()) return s.status();
    out = *s;
    return Status::Ok();
  };
  auto list_key = [&](std::string_view key, std::vector<std::string>& out) -> Status {
    NodeId v = doc.Get(entry, key);
    if (v == yaml::kNoNode) return Status::Ok();
    Result<std::vector<std::string>> s = r.Strings(v, at + "." + std::string(key));
    if (!s.ok()) return s.status();
    out = *s;
    return Status::Ok();
  };

  CAPSTAN_RETURN_IF_ERROR(string_key("name", p.alias));
  std::string strategy = "semver";
  CAPSTAN_RETURN_IF_ERROR(string_key("strategy", strategy));
  Result<image::Strategy> parsed = image::ParseStrategy(strategy);
  if (!parsed.ok()) return r.At(doc.Get(entry, "strategy"), parsed.status().message());
  p.tags.strategy = *parsed;

  std::string constraint;
  CAPSTAN_RETURN_IF_ERROR(string_key("constraint", constraint));
  CAPSTAN_RETURN_IF_ERROR(string_key("allow-tags", p.tags.allow_regex));
  CAPSTAN_RETURN_IF_ERROR(string_key("extract", p.tags.extract));
  CAPSTAN_RETURN_IF_ERROR(list_key("ignore-tags", p.tags.ignore_tags));
  CAPSTAN_RETURN_IF_ERROR(list_key("platforms", p.platforms));
  CAPSTAN_RETURN_IF_ERROR(list_key("files", p.write.files));
  CAPSTAN_RETURN_IF_ERROR(list_key("helm-keys", p.write.helm_keys));
  CAPSTAN_RETURN_IF_ERROR(list_key("flux-policies", p.flux_policies));
  if (NodeId v = doc.Get(entry, "pin-digest"); v != yaml::kNoNode) {
    Result<bool> b = r.Bool(v, at + ".pin-digest");
    if (!b.ok()) return b.status();
    p.pin_digest = *b;
  }

  if (p.tags.strategy == image::Strategy::kDigest) {
    // The tag to follow may be written on the image or as the constraint; both must agree.
    if (!constraint.empty() && !p.image.tag.empty() && constraint != p.image.tag)
      return r.At(doc.Get(entry, "constraint"),
                  "'" + at + ".constraint' names tag " + QuoteForMessage(constraint) +
                      " but the image follows " + QuoteForMessage(p.image.tag));
    p.tags.constraint = constraint.empty() ? p.image.tag : constraint;
    p.image.tag = p.tags.constraint;
  } else {
    if (!p.image.tag.empty())
      return r.At(
          image,
          "'" + at + ".image' has a tag, which only the digest strategy uses (the tag to follow)");
    if (!constraint.empty() && p.tags.strategy != image::Strategy::kSemver)
      return r.At(doc.Get(entry, "constraint"),
                  "'" + at + ".constraint' applies to the semver and digest strategies only");
    p.tags.constraint = constraint;
  }

  if (p.tags.strategy == image::Strategy::kSemver) {
    image::TagPolicy part;
    part.constraint = p.tags.constraint;
    CAPSTAN_RETURN_IF_ERROR(CheckPart(r, doc.Get(entry, "constraint"), part));
  }
  NodeId regex_key = doc.Get(entry, "allow-tags");
  if (regex_key == yaml::kNoNode) regex_key = doc.Get(entry, "extract");
  image::TagPolicy regex;
  regex.strategy = image::Strategy::kAlphabetical;
  regex.allow_regex = p.tags.allow_regex;
  regex.extract = p.tags.extract;
  CAPSTAN_RETURN_IF_ERROR(CheckPart(r, regex_key, regex));
  image::TagPolicy globs;
  globs.strategy = image::Strategy::kAlphabetical;
  globs.ignore_tags = p.tags.ignore_tags;
  CAPSTAN_RETURN_IF_ERROR(CheckPart(r, doc.Get(entry, "ignore-tags"), globs));
  if (Status s = image::ValidatePolicy(p.tags); !s.ok())
    return r.At(entry, at + ": " + s.message());

  for (const std::string& platform : p.platforms) {
    Result<image::Platform> pl = image::ParsePlatform(platform);
    if (!pl.ok()) return r.At(doc.Get(entry, "platforms"), pl.status().message());
  }
  for (const std::string& f : p.write.files)
    if (!InsideRepository(f))
      return r.At(doc.Get(entry, "files"), "'" + at + ".files' entry " +
                                               QuoteForMessage(f, kQuotePathLimit) +
                                               " must be a path inside the repository");
  for (const std::string& key : p.write.helm_keys)
    if (key.empty())
      return r.At(doc.Get(entry, "helm-keys"), "'" + at + ".helm-keys' entries must not be empty");
  for (const std::string& name : p.flux_policies)
    if (!ValidFluxPolicy(name))
      return r.At(
          doc.Get(entry, "flux-policies"),
          "'" + at + ".flux-policies' entry " + QuoteForMessage(name) + " must be namespace:name");
  return p;
}

bool ValidEnvName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool ValidCredentials(std::string_view c) {
  if (c.rfind("env:", 0) == 0) return ValidEnvName(c.substr(4));
  return (c.rfind("file:", 0) == 0 && c.size() > 5) || (c.rfind("ext:", 0) == 0 && c.size() > 4);
}

Result<RegistrySettings> ReadRegistry(const Reader& r, NodeId entry, std::size_t index) {
  std::string at = "registries[" + std::to_string(index) + "]";
  RegistrySettings s;
  NodeId host = yaml::kNoNode;
  Result<std::string> h = r.Open(entry, at, "host", s.source, host);
  if (!h.ok()) return h.status();
  s.host = image::NormalizeRegistryHost(*h);
  if (s.host.empty() || s.host.find_first_of(" \t@") != std::string::npos)
    return r.At(host,
                "'" + at + ".host' must be a registry host such as ghcr.io or registry.local:5000");
  const yaml::Document& doc = r.doc();
  if (NodeId v = doc.Get(entry, "insecure"); v != yaml::kNoNode) {
    Result<bool> b = r.Bool(v, at + ".insecure");
    if (!b.ok()) return b.status();
    s.insecure = *b;
  }
  if (NodeId v = doc.Get(entry, "credentials"); v != yaml::kNoNode) {
    Result<std::string> c = r.String(v, at + ".credentials");
    if (!c.ok()) return c.status();
    // The value is not echoed: a mistaken entry may be the secret itself.
    if (!ValidCredentials(*c))
      return r.At(v, "'" + at + ".credentials' must be env:NAME, file:PATH or ext:PATH");
    s.credentials = *c;
  }
  return s;
}

}  // namespace

Result<ProjectConfig> ParseProjectConfig(std::string_view file, std::string_view text) {
  yaml::ParsedFile parsed = yaml::Parse(text);
  if (!parsed.issues.empty()) {
    const yaml::Issue& issue = parsed.issues.front();
    return Status::InvalidArgument(std::string(file) + ":" + std::to_string(issue.pos.line) + ":" +
                                   std::to_string(issue.pos.column) + ": " + issue.message);
  }
  ProjectConfig config;
  if (parsed.documents.empty() || parsed.documents[0].root() == yaml::kNoNode) return config;
  const yaml::Document& doc = parsed.documents[0];
  Reader r(file, doc);
  NodeId root = doc.Resolve(doc.root());
  if (doc.node(root).type != NodeType::kMapping)
    return r.At(root, "expected a mapping of sections");

  Result<std::vector<NodeId>> images = r.Section(root, "images");
  if (!images.ok()) return images.status();
  std::map<std::string, std::string> claimed;  // flux policy -> the entry listing it
  for (std::size_t i = 0; i < images->size(); ++i) {
    Result<ImagePolicy> p = ReadImage(r, (*images)[i], i);
    if (!p.ok()) return p.status();
    std::string at = "images[" + std::to_string(i) + "]";
    for (const std::string& name : p->flux_policies) {
      auto [it, fresh] = claimed.emplace(name, at);
      if (!fresh)
        return r.At(doc.Get((*images)[i], "flux-policies"), "flux policy " + QuoteForMessage(name) +
                                                                " is listed by both " + it->second +
                                                                " and " + at);
    }
    config.images.push_back(std::move(*p));
  }

  Result<std::vector<NodeId>> registries = r.Section(root, "registries");
  if (!registries.ok()) return registries.status();
  std::set<std::string> hosts;
  for (std::size_t i = 0; i < registries->size(); ++i) {
    Result<RegistrySettings> s = ReadRegistry(r, (*registries)[i], i);
    if (!s.ok()) return s.status();
    if (!hosts.insert(s->host).second)
      return r.At(doc.Get((*registries)[i], "host"),
                  "registry " + QuoteForMessage(s->host) + " is listed twice");
    config.registries.push_back(std::move(*s));
  }
  return config;
}

}  // namespace capstan::policy

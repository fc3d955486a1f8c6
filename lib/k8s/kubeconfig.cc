#include "k8s/kubeconfig.h"

#include "core/base64.h"
#include "core/path.h"
#include "core/strings.h"
#include "core/url.h"
#include "yaml/parser.h"
#include "yaml/scalar.h"

namespace capstan::k8s {
namespace {

using yaml::kNoNode;
using yaml::NodeId;
using yaml::NodeType;

std::string Quoted(std::string_view name) { return QuoteForMessage(name, kQuotePathLimit); }

class Reader {
 public:
  Reader(FileSystem* fs, std::string path, const yaml::Document& doc, std::uint64_t max_bytes)
      : fs_(fs), path_(std::move(path)), dir_(DirName(path_)), doc_(doc), max_bytes_(max_bytes) {}

  Status At(NodeId id, const std::string& why,
            StatusCode code = StatusCode::kInvalidArgument) const {
    const yaml::Position& p = id == kNoNode ? doc_.start() : doc_.node(id).pos;
    return Status(
        code, path_ + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " + why);
  }

  // The mapping at `key` of `mapping`; kNoNode when absent or null.
  Result<NodeId> Mapping(NodeId mapping, std::string_view key) const {
    NodeId id = Value(mapping, key);
    if (id == kNoNode) return kNoNode;
    if (doc_.node(id).type != NodeType::kMapping) {
      return At(id, std::string(key) + " must be a mapping");
    }
    return id;
  }

  // The scalar text at `key`; "" when absent or null. A secret field's value is never shown.
  Result<std::string> String(NodeId mapping, std::string_view key) const {
    NodeId id = Value(mapping, key);
    if (id == kNoNode) return std::string();
    if (doc_.node(id).type != NodeType::kScalar)
      return At(id, std::string(key) + " must be a string");
    return doc_.node(id).value;
  }

  Result<bool> Bool(NodeId mapping, std::string_view key) const {
    NodeId id = Value(mapping, key);
    if (id == kNoNode) return false;
    if (doc_.node(id).type == NodeType::kScalar) {
      yaml::ScalarValue v = yaml::ResolveScalar(doc_.node(id));
      if (v.kind == yaml::ScalarKind::kBool) return v.b;
    }
    return At(id, std::string(key) + " must be true or false");
  }

  // The value node at key, aliases resolved; kNoNode when absent or null.
  NodeId Value(NodeId mapping, std::string_view key) const {
    if (mapping == kNoNode) return kNoNode;
    NodeId id = doc_.Get(mapping, key);
    if (id == kNoNode) return kNoNode;
    id = doc_.Resolve(id);
    return doc_.node(id).type == NodeType::kNull ? kNoNode : id;
  }

  // In the list `list` of the root ("contexts", "clusters", "users"), the `inner` mapping of the
  // entry named `name`. `ref` is the node that named it (for the error).
  Result<NodeId> Named(std::string_view list, std::string_view inner, const std::string& name,
                       NodeId ref) const {
    const std::string what(list.substr(0, list.size() - 1));  // "context", "cluster", "user"
    NodeId items = Value(doc_.root(), list);
    if (items != kNoNode && doc_.node(items).type != NodeType::kSequence) {
      return At(items, std::string(list) + " must be a list");
    }
    if (items != kNoNode) {
      for (NodeId entry : doc_.node(items).children) {
        entry = doc_.Resolve(entry);
        if (doc_.node(entry).type != NodeType::kMapping) {
          return At(entry, "each entry of " + std::string(list) + " must be a mapping");
        }
        Result<std::string> entry_name = String(entry, "name");
        if (!entry_name.ok()) return entry_name.status();
        if (*entry_name != name) continue;
        Result<NodeId> body = Mapping(entry, inner);
        if (!body.ok()) return body.status();
        if (*body == kNoNode)
          return At(entry, what + " " + Quoted(name) + " has no " + std::string(inner));
        return *body;
      }
    }
    if (ref == kNoNode) ref = doc_.GetKey(doc_.root(), list);
    return At(ref, what + " " + Quoted(name) + " not found in " + std::string(list),
              StatusCode::kNotFound);
  }

  // The bytes of `<data_key>` (base64) or else the file named by `<file_key>`; "" when neither.
  Result<std::string> DataOrFile(NodeId mapping, std::string_view data_key,
                                 std::string_view file_key) const {
    NodeId data = Value(mapping, data_key);
    if (data != kNoNode) {
      if (doc_.node(data).type != NodeType::kScalar) {
        return At(data, std::string(data_key) + " must be a string");
      }
      std::optional<std::string> decoded = DecodeBase64(doc_.node(data).value);
      if (!decoded) return At(data, std::string(data_key) + " is not valid base64");
      return *std::move(decoded);
    }
    return File(mapping, file_key);
  }

  // The content of the file named at `key` (relative to the kubeconfig's directory); "" when
  // the key is absent.
  Result<std::string> File(NodeId mapping, std::string_view key) const {
    Result<std::string> name = String(mapping, key);
    if (!name.ok()) return name.status();
    if (name->empty()) return std::string();
    Result<std::string> content = fs_->ReadFile(JoinPath(dir_, *name), max_bytes_);
    if (!content.ok()) {
      return At(Value(mapping, key), std::string(key) + ": " + content.status().message(),
                content.status().code());
    }
    return content;
  }

  const yaml::Document& doc() const { return doc_; }

 private:
  FileSystem* fs_;
  std::string path_;
  std::string dir_;
  const yaml::Document& doc_;
  std::uint64_t max_bytes_;
};

Status ReadCluster(const Reader& r, NodeId cluster, KubeAccess* access) {
  Result<std::string> server = r.String(cluster, "server");
  if (!server.ok()) return server.status();
  if (server->empty()) return r.At(cluster, "cluster has no server");
  if (server->rfind("https://", 0) != 0 && server->rfind("http://", 0) != 0) {
    return r.At(r.Value(cluster, "server"),
                "server " + Quoted(RedactUrl(*server)) + " must be an https:// or http:// URL");
  }
  access->server = *server;
  while (access->server.size() > 1 && access->server.back() == '/') access->server.pop_back();

  Result<std::string> ca =
      r.DataOrFile(cluster, "certificate-authority-data", "certificate-authority");
  if (!ca.ok()) return ca.status();
  access->ca_pem = *std::move(ca);
  Result<bool> insecure = r.Bool(cluster, "insecure-skip-tls-verify");
  if (!insecure.ok()) return insecure.status();
  access->insecure_skip_verify = *insecure;
  if (access->insecure_skip_verify && !access->ca_pem.empty()) {
    return r.At(r.Value(cluster, "insecure-skip-tls-verify"),
                "insecure-skip-tls-verify cannot be combined with a certificate authority");
  }
  Result<std::string> sni = r.String(cluster, "tls-server-name");
  if (!sni.ok()) return sni.status();
  access->tls_server_name = *std::move(sni);
  return Status::Ok();
}

Status ReadUser(const Reader& r, NodeId user, const std::string& name, KubeAccess* access) {
  for (const char* plugin : {"exec", "auth-provider"}) {
    NodeId at = r.Value(user, plugin);
    if (at == kNoNode) continue;
    const std::string kind = std::string(plugin) == "exec" ? "an exec plugin" : "an auth-provider";
    return r.At(r.doc().GetKey(user, plugin),
                "user " + Quoted(name) + " authenticates with " + kind +
                    ", which capstan does not run: give the context a user with a token (e.g. "
                    "from `kubectl create token`) or a client certificate");
  }
  Result<std::string> token = r.String(user, "token");
  if (!token.ok()) return token.status();
  if (token->empty()) {
    token = r.File(user, "tokenFile");
    if (!token.ok()) return token.status();
    *token = std::string(Trim(*token));
    if (token->empty() && r.Value(user, "tokenFile") != kNoNode) {
      return r.At(r.Value(user, "tokenFile"), "tokenFile is empty");
    }
  }
  access->token = *std::move(token);

  Result<std::string> cert = r.DataOrFile(user, "client-certificate-data", "client-certificate");
  if (!cert.ok()) return cert.status();
  Result<std::string> key = r.DataOrFile(user, "client-key-data", "client-key");
  if (!key.ok()) return key.status();
  if (cert->empty() != key->empty()) {
    return r.At(user, cert->empty() ? "client key without a client certificate"
                                    : "client certificate without a client key");
  }
  access->client_cert_pem = *std::move(cert);
  access->client_key_pem = *std::move(key);

  for (auto [field, out] :
       {std::pair{"username", &access->username}, std::pair{"password", &access->password}}) {
    Result<std::string> value = r.String(user, field);
    if (!value.ok()) return value.status();
    *out = *std::move(value);
  }
  return Status::Ok();
}

}  // namespace

Result<KubeAccess> ReadKubeconfig(FileSystem* fs, const std::string& path,
                                  const KubeconfigOptions& options) {
  Result<std::string> text = fs->ReadFile(path, options.max_file_bytes);
  if (!text.ok()) {
    return Status(text.status().code(),
                  "cannot read kubeconfig " + Quoted(path) + ": " + text.status().message());
  }
  yaml::ParsedFile parsed = yaml::Parse(*text);
  if (!parsed.issues.empty()) {
    const yaml::Issue& issue = parsed.issues.front();
    return Status::ParseError(path + ":" + std::to_string(issue.pos.line) + ":" +
                              std::to_string(issue.pos.column) + ": " + issue.message);
  }
  if (parsed.documents.empty() || parsed.documents.front().root() == kNoNode) {
    return Status::InvalidArgument(path + ":1:1: the kubeconfig is empty");
  }
  const yaml::Document& doc = parsed.documents.front();
  Reader r(fs, path, doc, options.max_file_bytes);
  if (doc.node(doc.Resolve(doc.root())).type != NodeType::kMapping) {
    return r.At(doc.root(), "not a kubeconfig: expected a mapping with contexts, clusters, users");
  }

  KubeAccess access;
  access.context = options.context;
  NodeId named_at = kNoNode;
  if (access.context.empty()) {
    Result<std::string> current = r.String(doc.root(), "current-context");
    if (!current.ok()) return current.status();
    if (current->empty()) {
      return r.At(doc.GetKey(doc.root(), "current-context"),
                  "no current-context: name the context to use");
    }
    access.context = *std::move(current);
    named_at = r.Value(doc.root(), "current-context");
  }
  Result<NodeId> context = r.Named("contexts", "context", access.context, named_at);
  if (!context.ok()) return context.status();

  Result<std::string> cluster_name = r.String(*context, "cluster");
  if (!cluster_name.ok()) return cluster_name.status();
  if (cluster_name->empty()) {
    return r.At(*context, "context " + Quoted(access.context) + " has no cluster");
  }
  Result<NodeId> cluster =
      r.Named("clusters", "cluster", *cluster_name, r.Value(*context, "cluster"));
  if (!cluster.ok()) return cluster.status();
  CAPSTAN_RETURN_IF_ERROR(ReadCluster(r, *cluster, &access));

  Result<std::string> user_name = r.String(*context, "user");
  if (!user_name.ok()) return user_name.status();
  if (!user_name->empty()) {
    Result<NodeId> user = r.Named("users", "user", *user_name, r.Value(*context, "user"));
    if (!user.ok()) return user.status();
    CAPSTAN_RETURN_IF_ERROR(ReadUser(r, *user, *user_name, &access));
  }

  Result<std::string> ns = r.String(*context, "namespace");
  if (!ns.ok()) return ns.status();
  access.context_namespace = *std::move(ns);
  return access;
}

std::string AuthorizationHeader(const KubeAccess& access) {
  if (!access.token.empty()) return "Bearer " + access.token;
  if (!access.username.empty() || !access.password.empty()) {
    return "Basic " + EncodeBase64(access.username + ":" + access.password);
  }
  return "";
}

}  // namespace capstan::k8s

#include "git/credentials.h"

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <string_view>

#include "git/credential_process.h"

namespace capstan::git::internal {
namespace {

// libgit2 asks again after each refusal; more calls than this in one connection mean a loop.
constexpr int kMaxCallsPerConnection = 8;

std::string PercentDecode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool HasNewline(const std::string& s) { return s.find('\n') != std::string::npos; }

}  // namespace

UrlParts ParseUrl(const std::string& url) {
  UrlParts parts;
  std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string::npos) {
    parts.scheme = url.substr(0, scheme_end);
    std::size_t rest = scheme_end + 3;
    std::size_t slash = url.find('/', rest);
    std::string authority =
        url.substr(rest, slash == std::string::npos ? std::string::npos : slash - rest);
    if (slash != std::string::npos) parts.path = url.substr(slash + 1);
    std::size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      std::string userinfo = authority.substr(0, at);
      authority = authority.substr(at + 1);
      std::size_t colon = userinfo.find(':');
      parts.user = PercentDecode(userinfo.substr(0, colon));
      if (colon != std::string::npos) parts.password = PercentDecode(userinfo.substr(colon + 1));
    }
    parts.host = authority;
    return parts;
  }
  std::size_t colon = url.find(':');
  std::size_t slash = url.find('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) {
    parts.scheme = "ssh";
    std::string authority = url.substr(0, colon);
    parts.path = url.substr(colon + 1);
    std::size_t at = authority.rfind('@');
    if (at != std::string::npos) {
      parts.user = authority.substr(0, at);
      authority = authority.substr(at + 1);
    }
    parts.host = authority;
    return parts;
  }
  parts.scheme = "file";
  parts.path = url;
  return parts;
}

CredentialProvider::CredentialProvider(const Credentials& credentials, std::string dir)
    : credentials_(credentials), dir_(std::move(dir)) {}

CredentialProvider::~CredentialProvider() = default;

int CredentialProvider::Acquire(git_credential** out, const char* url,
                                const char* username_from_url, unsigned int allowed_types,
                                void* payload) {
  return static_cast<CredentialProvider*>(payload)->AcquireImpl(out, url, username_from_url,
                                                                allowed_types);
}

void CredentialProvider::BeginConnection() {
  offered_.clear();
  last_ = Source::kNone;
  calls_ = 0;
  gave_up_ = false;
}

void CredentialProvider::ConnectionSucceeded() {
  if (last_ == Source::kHelper && helper_answer_ && !helper_approved_) {
    Tell("approve", *helper_answer_);
    helper_approved_ = true;
  }
}

bool CredentialProvider::Available(Source s) const {
  return std::find(refused_.begin(), refused_.end(), s) == refused_.end() &&
         std::find(offered_.begin(), offered_.end(), s) == offered_.end();
}

void CredentialProvider::Offered(Source s) {
  offered_.push_back(s);
  last_ = s;
}

int CredentialProvider::AcquireImpl(git_credential** out, const char* url,
                                    const char* username_from_url, unsigned int allowed_types) {
  const UrlParts parts = ParseUrl(url != nullptr ? url : "");
  is_ssh_ = (allowed_types & (GIT_CREDENTIAL_SSH_KEY | GIT_CREDENTIAL_USERNAME)) != 0 &&
            (allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) == 0;
  if (!parts.password.empty()) seen_passwords_.push_back(parts.password);
  ++calls_;
  // Being asked again means the server refused what we offered last (or, on the first call,
  // the user-info libgit2 took from the URL).
  if (last_ != Source::kNone) {
    refused_.push_back(last_);
    if (last_ == Source::kHelper && helper_answer_) {
      Tell("reject", *helper_answer_);
      helper_answer_.reset();
    }
  } else if (calls_ == 1 && !parts.password.empty() && Available(Source::kUrl)) {
    refused_.push_back(Source::kUrl);
  }
  last_ = Source::kNone;
  if (calls_ > kMaxCallsPerConnection) {
    gave_up_ = true;
    git_error_set_str(GIT_ERROR_NET, "authentication failed");
    return GIT_EAUTH;
  }

  std::string user = username_from_url != nullptr ? username_from_url : "";
  if ((allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) != 0) {
    if (!credentials_.token.empty() && Available(Source::kToken)) {
      std::string name = credentials_.username.empty() ? "x-access-token" : credentials_.username;
      if (git_credential_userpass_plaintext_new(out, name.c_str(), credentials_.token.c_str()) <
          0) {
        return -1;
      }
      Offered(Source::kToken);
      return 0;
    }
    if (credentials_.credential_helper && Available(Source::kHelper)) {
      offered_.push_back(Source::kHelper);
      if (!helper_answer_) helper_answer_ = Fill(parts, username_from_url);
      if (helper_answer_) {
        if (git_credential_userpass_plaintext_new(out, helper_answer_->username.c_str(),
                                                  helper_answer_->password.c_str()) < 0) {
          return -1;
        }
        last_ = Source::kHelper;
        return 0;
      }
      helper_had_none_ = true;
    }
  }
  if (user.empty()) user = credentials_.username.empty() ? "git" : credentials_.username;
  if ((allowed_types & GIT_CREDENTIAL_USERNAME) != 0) {
    return git_credential_username_new(out, user.c_str());
  }
  if ((allowed_types & GIT_CREDENTIAL_SSH_KEY) != 0) {
    if (credentials_.ssh_agent && Available(Source::kAgent)) {
      if (git_credential_ssh_key_from_agent(out, user.c_str()) < 0) return -1;
      Offered(Source::kAgent);
      return 0;
    }
    if (!credentials_.ssh_key_file.empty() && Available(Source::kKeyFile)) {
      std::string pub = credentials_.ssh_key_file + ".pub";
      struct stat st;
      const bool has_pub = ::stat(pub.c_str(), &st) == 0;
      const char* passphrase = credentials_.ssh_key_passphrase.empty()
                                   ? nullptr
                                   : credentials_.ssh_key_passphrase.c_str();
      if (git_credential_ssh_key_new(out, user.c_str(), has_pub ? pub.c_str() : nullptr,
                                     credentials_.ssh_key_file.c_str(), passphrase) < 0) {
        return -1;
      }
      Offered(Source::kKeyFile);
      return 0;
    }
  }
  gave_up_ = true;
  git_error_set_str(GIT_ERROR_NET, "authentication failed");
  return GIT_EAUTH;
}

std::optional<CredentialProvider::HelperAnswer> CredentialProvider::Fill(
    const UrlParts& url, const char* username_from_url) {
  if (url.scheme.empty() || url.host.empty() || HasNewline(url.host) || HasNewline(url.path)) {
    return std::nullopt;
  }
  HelperAnswer answer;
  answer.request = "protocol=" + url.scheme + "\nhost=" + url.host + "\n";
  if (!url.path.empty()) answer.request += "path=" + url.path + "\n";
  std::string request = answer.request;
  if (username_from_url != nullptr && *username_from_url != '\0' &&
      !HasNewline(username_from_url)) {
    request += std::string("username=") + username_from_url + "\n";
  }
  std::optional<std::string> output =
      RunGitCredential(credentials_.run_subprocess, dir_, "fill", request + "\n");
  if (!output) return std::nullopt;
  std::size_t start = 0;
  while (start < output->size()) {
    std::size_t end = output->find('\n', start);
    if (end == std::string::npos) end = output->size();
    std::string_view line(output->data() + start, end - start);
    if (line.starts_with("username=")) answer.username = line.substr(9);
    if (line.starts_with("password=")) answer.password = line.substr(9);
    start = end + 1;
  }
  if (answer.password.empty()) return std::nullopt;
  seen_passwords_.push_back(answer.password);
  return answer;
}

void CredentialProvider::Tell(const char* action, const HelperAnswer& answer) const {
  if (HasNewline(answer.username) || HasNewline(answer.password)) return;
  (void)RunGitCredential(
      credentials_.run_subprocess, dir_, action,
      answer.request + "username=" + answer.username + "\npassword=" + answer.password + "\n\n");
}

std::string CredentialProvider::Describe(Source s) const {
  switch (s) {
    case Source::kUrl:
      return "the credentials in the URL";
    case Source::kToken:
      return credentials_.token_source.empty() ? "the token"
                                               : "the token from " + credentials_.token_source;
    case Source::kHelper:
      return "the credentials from git's credential helper";
    case Source::kAgent:
      return "the SSH agent's keys";
    case Source::kKeyFile:
      return "the key file " + credentials_.ssh_key_file;
    case Source::kNone:
      break;
  }
  return "";
}

std::string CredentialProvider::FailureDetail() const {
  std::vector<std::string> refused;
  for (Source s : refused_) {
    std::string d = Describe(s);
    if (std::find(refused.begin(), refused.end(), d) == refused.end()) refused.push_back(d);
  }
  std::string detail;
  if (!refused.empty()) {
    detail = "the server refused ";
    for (std::size_t i = 0; i < refused.size(); ++i) {
      if (i > 0) detail += i + 1 == refused.size() ? " and " : ", ";
      detail += refused[i];
    }
    if (helper_had_none_) detail += "; git's credential helper had none";
    return detail;
  }
  if (is_ssh_) {
    detail = "no SSH key was accepted or offered";
    if (!credentials_.ssh_agent)
      detail += " (the SSH agent is off";
    else
      detail += " (the SSH agent had none";
    detail += credentials_.ssh_key_file.empty() ? " and no key file was given)" : ")";
    return detail;
  }
  detail = "no credentials were found (";
  detail += credentials_.token.empty() ? "no token was given" : "the token was not used";
  detail += credentials_.credential_helper ? ", git's credential helper had none)"
                                           : ", credential helpers are off)";
  return detail;
}

std::vector<std::string> CredentialProvider::Secrets() const {
  std::vector<std::string> secrets = seen_passwords_;
  if (!credentials_.token.empty()) secrets.push_back(credentials_.token);
  if (!credentials_.ssh_key_passphrase.empty()) secrets.push_back(credentials_.ssh_key_passphrase);
  return secrets;
}

}  // namespace capstan::git::internal

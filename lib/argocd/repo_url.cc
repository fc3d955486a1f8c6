#include "argocd/repo_url.h"

#include <vector>

#include "core/path.h"
#include "core/strings.h"

namespace capstan::argocd {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

// Host without user info and port, lowercased, without the `ssh.`/`altssh.` prefix GitHub and
// GitLab serve SSH over port 443 from.
std::string Host(std::string_view authority) {
  if (std::size_t at = authority.rfind('@'); at != std::string_view::npos)
    authority.remove_prefix(at + 1);
  if (authority.starts_with('[')) {  // [::1]:22
    std::size_t close = authority.find(']');
    if (close != std::string_view::npos) return AsciiLower(authority.substr(0, close + 1));
  }
  if (std::size_t colon = authority.find(':'); colon != std::string_view::npos)
    authority = authority.substr(0, colon);
  std::string host = AsciiLower(authority);
  for (std::string_view prefix : {"ssh.", "altssh."}) {
    if (host.starts_with(prefix) && host.find('.', prefix.size()) != std::string::npos)
      return host.substr(prefix.size());
  }
  return host;
}

// Azure DevOps names one repository four ways; all become dev.azure.com/<org>/<project>/<repo>.
std::string AzureKey(const std::string& host, const std::vector<std::string_view>& seg) {
  auto key = [](std::string_view org, std::string_view project, std::string_view repo) {
    return "dev.azure.com/" + std::string(org) + "/" + std::string(project) + "/" +
           std::string(repo);
  };
  auto git_form = [&](std::string_view org, std::size_t from) -> std::string {
    // [project/]_git/repo; a repository alone in its project of the same name omits it
    std::size_t n = seg.size() - from;
    if (n == 3 && seg[from + 1] == "_git") return key(org, seg[from], seg[from + 2]);
    if (n == 2 && seg[from] == "_git") return key(org, seg[from + 1], seg[from + 1]);
    return "";
  };
  if (host == "dev.azure.com" || host == "vs-ssh.visualstudio.com") {
    if (seg.size() == 4 && seg[0] == "v3") return key(seg[1], seg[2], seg[3]);  // SSH
    if (host == "dev.azure.com" && !seg.empty()) return git_form(seg[0], 1);
    return "";
  }
  constexpr std::string_view kOld = ".visualstudio.com";
  if (host.size() > kOld.size() && host.ends_with(kOld)) {
    std::string_view org = std::string_view(host).substr(0, host.size() - kOld.size());
    std::size_t from = !seg.empty() && seg[0] == "defaultcollection" ? 1 : 0;
    return git_form(org, from);
  }
  return "";
}

}  // namespace

std::string NormalizeRepoUrl(std::string_view url) {
  url = Trim(url);
  if (url.empty()) return "";
  std::string_view rest = url;
  std::string_view authority;
  std::size_t scheme_end = url.find("://");
  if (scheme_end != std::string_view::npos) {
    if (AsciiLower(url.substr(0, scheme_end)) == "file")
      return "file:" + NormalizePath(url.substr(scheme_end + 3));
    rest = url.substr(scheme_end + 3);
    std::size_t slash = rest.find('/');
    authority = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  } else if (url.starts_with('/') || url.starts_with('.')) {
    return "file:" + NormalizePath(url);
  } else {
    // scp form "[user@]host:path" (a ':' before any '/'), else "host/path".
    std::size_t colon = url.find(':');
    std::size_t slash = url.find('/');
    std::size_t cut =
        colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)
            ? colon
            : slash;
    authority = url.substr(0, cut);
    rest = cut == std::string_view::npos ? std::string_view() : url.substr(cut + 1);
  }
  if (std::size_t q = rest.find_first_of("?#"); q != std::string_view::npos)
    rest = rest.substr(0, q);
  std::string host = Host(authority);
  std::string path = AsciiLower(PercentDecode(rest));
  std::vector<std::string_view> seg = Segments(path);
  if (!seg.empty() && seg.back().ends_with(".git")) seg.back().remove_suffix(4);
  if (!seg.empty() && seg.back().empty()) seg.pop_back();
  if (std::string azure = AzureKey(host, seg); !azure.empty()) return azure;
  std::string key = host;
  for (std::string_view s : seg) {
    key += '/';
    key += s;
  }
  return key;
}

bool SameRepository(std::string_view a, std::string_view b) {
  std::string ka = NormalizeRepoUrl(a);
  return !ka.empty() && ka == NormalizeRepoUrl(b);
}

}  // namespace capstan::argocd

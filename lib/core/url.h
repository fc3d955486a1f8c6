// URL text shown to people: what every message, log line and error naming a remote, a registry
// or an API endpoint goes through, so that no credential in a URL is ever printed.
#pragma once

#include <string>
#include <string_view>

namespace capstan {

// url without its user-info: "https://user:token@host:8443/org/app.git?x=1" reads
// "https://host:8443/org/app.git?x=1". Text without "://" (scp-like "git@host:org/app.git",
// local paths, malformed input) is returned unchanged.
std::string RedactUrl(std::string_view url);

// text with every byte percent-encoded (uppercase hex) except RFC 3986's unreserved characters
// (A-Z a-z 0-9 - . _ ~) and those in also_keep, e.g. "/" for a URI path.
std::string PercentEncode(std::string_view text, std::string_view also_keep = "");

}  // namespace capstan

// Verifies SOPS-encrypted files without their keys: the metadata SOPS writes is present and
// well-formed, and every value SOPS would have encrypted is an ENC[AES256_GCM,...] value. A file
// that was decrypted, or edited after encryption to add a plaintext value, fails here.
//
// Which values must be encrypted follows SOPS (getsops/sops, Tree.Encrypt) exactly, using the
// rules the file records in its own `sops` metadata, applied to the mapping keys on the path
// from the root to each value (sequence indexes are not keys):
//   - unencrypted_suffix: a path with a key ending in it is left clear;
//   - encrypted_suffix:   only paths with a key ending in it are encrypted;
//   - unencrypted_regex:  a path with a key the regex matches (unanchored, RE2 syntax, as Go's
//                         regexp.Match) is left clear;
//   - encrypted_regex:    only paths with a key the regex matches are encrypted.
// They are applied in that order, the later overriding the earlier, as SOPS does; when none is
// recorded, the default is unencrypted_suffix `_unencrypted`. So once a key matches, everything
// under it is selected. The top-level `sops` key is metadata and never encrypted. Empty strings
// and nulls are never encrypted by SOPS and are accepted wherever they are.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "yaml/document.h"

namespace capstan::secrets {

// One reason a SOPS file is not properly encrypted. `message` never contains a value from the
// file: "value is not encrypted", "sops.mac is missing", "sops.lastmodified is not an RFC 3339
// time", "value is a malformed sops value: iv is not base64" ...
struct SopsProblem {
  // The offending value node; for missing metadata, the `sops` key node.
  yaml::NodeId node = yaml::kNoNode;
  // Segments from the document root to that node (sequence indexes in decimal), for
  // yaml::JsonPointer: {"stringData", "password"}, {"sops", "mac"}.
  std::vector<std::string> path;
  std::string message;
};

enum class SopsState {
  kNotSops,    // no top-level `sops` mapping: judge the document as plain YAML
  kEncrypted,  // a SOPS document with no problems
  kBroken,     // a SOPS document with at least one problem
};

struct SopsVerdict {
  SopsState state = SopsState::kNotSops;
  std::vector<SopsProblem> problems;  // in document order; empty unless state is kBroken
};

// Judges one document (a YAML or JSON SOPS file; for multi-document files, call it per
// document: each carries its own `sops` map). kNotSops when the root is not a mapping or has no
// `sops` key whose value is a mapping. Checks: sops.version (like 3.7.3), sops.lastmodified
// (RFC 3339), sops.mac (an ENC value) present and well-formed; a user regex that RE2 cannot
// compile is itself a problem, and then every value is required to be encrypted.
SopsVerdict VerifySops(const yaml::Document& doc);

// nullopt when `value` is a well-formed SOPS value:
//   ENC[AES256_GCM,data:<base64>,iv:<base64>,tag:<base64>,type:<str|int|float|bool|bytes>]
// with non-empty data, an iv of at least 12 bytes and a 16-byte tag (standard alphabet, padded,
// no line breaks). Otherwise why not, without quoting the value: "value is not encrypted" when
// it does not start with "ENC[", else "value is a malformed sops value: <reason>".
std::optional<std::string> SopsValueProblem(std::string_view value);

// True when SopsValueProblem(value) is nullopt.
bool IsSopsValue(std::string_view value);

// A problem in a line-oriented SOPS file (dotenv).
struct SopsLineProblem {
  int line = 0;     // 1-based
  int column = 0;   // 1-based byte column of the value (or of the line, for missing metadata)
  std::string key;  // the variable name, or "sops_mac" etc. for metadata
  std::string message;
};

struct SopsDotenvVerdict {
  SopsState state = SopsState::kNotSops;
  std::vector<SopsLineProblem> problems;
};

// Judges a SOPS-encrypted dotenv file: `KEY=value` lines, `#` comment lines and blank lines;
// metadata in `sops_*` lines (sops_version, sops_lastmodified, sops_mac, sops_encrypted_regex,
// ...; keys starting with `sops_` are metadata and never checked). kNotSops unless one of
// sops_mac, sops_version or sops_lastmodified is present. Values of other keys are selected by
// the same rules as VerifySops with the key as the only path segment; missing metadata is
// reported at the first `sops_` line. Line endings \n and \r\n are accepted.
SopsDotenvVerdict VerifySopsDotenv(std::string_view text);

}  // namespace capstan::secrets

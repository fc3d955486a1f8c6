#include "yaml/edit.h"

#include <algorithm>
#include <cstdint>

#include "core/strings.h"
#include "core/utf8.h"
#include "yaml/parser.h"
#include "yaml/scalar.h"

namespace capstan::yaml {
namespace {

// Whether one well-formed UTF-8 sequence is a character YAML 1.2 allows in a document (its
// c-printable set): tab, line feed, carriage return, U+0020-U+007E, U+0085, U+00A0-U+D7FF,
// U+E000-U+FFFD and U+10000 up.
bool Printable(std::string_view seq) {
  auto b = [&](std::size_t i) { return static_cast<unsigned char>(seq[i]); };
  std::uint32_t c = 0;
  if (seq.size() == 1)
    c = b(0);
  else if (seq.size() == 2)
    c = (b(0) & 0x1Fu) << 6 | (b(1) & 0x3Fu);
  else if (seq.size() == 3)
    c = (b(0) & 0x0Fu) << 12 | (b(1) & 0x3Fu) << 6 | (b(2) & 0x3Fu);
  else
    return true;  // U+10000 and up
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0x7E) || c == 0x85 ||
         (c >= 0xA0 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}

// Whether s holds NEL, LS or PS, which libyaml (following YAML 1.1) reads as line breaks.
bool HasUnicodeBreak(std::string_view s) {
  return s.find("\xC2\x85") != std::string_view::npos ||
         s.find("\xE2\x80\xA8") != std::string_view::npos ||
         s.find("\xE2\x80\xA9") != std::string_view::npos;
}

// Whether text breaks a line other than with LF or CRLF (a lone CR, NEL, LS or PS).
bool HasOtherLineBreak(std::string_view text) {
  for (std::size_t cr = text.find('\r'); cr != std::string_view::npos; cr = text.find('\r', cr + 1))
    if (cr + 1 == text.size() || text[cr + 1] != '\n') return true;
  return HasUnicodeBreak(text);
}

Status Refuse(const Node& n, const std::string& why) {
  return Status::InvalidArgument("line " + std::to_string(n.pos.line) + ":" +
                                 std::to_string(n.pos.column) + ": cannot edit in place: " + why);
}

// Whether value can be written as a plain scalar in block or flow context.
bool PlainWritable(std::string_view v) {
  if (v.empty() || v.front() == ' ' || v.back() == ' ' || HasUnicodeBreak(v)) return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`").find(v.front()) != std::string_view::npos) {
    // "-x", "?x", ":x" are plain when followed by a non-space; keep it simple and quote them.
    return false;
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == '\n' || c == '\r' || c == '\t' || static_cast<unsigned char>(c) < 0x20) return false;
    if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') return false;
    if (c == ':' && (i + 1 == v.size() || v[i + 1] == ' ')) return false;
    if (c == '#' && i > 0 && v[i - 1] == ' ') return false;
  }
  return true;
}

std::string DoubleQuoted(std::string_view v) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\xC2' && v.substr(i + 1, 1) == "\x85") {
      out += "\\N";  // NEL, LS and PS would read as line breaks
      ++i;
    } else if (c == '\xE2' &&
               (v.substr(i + 1, 2) == "\x80\xA8" || v.substr(i + 1, 2) == "\x80\xA9")) {
      out += v[i + 2] == '\xA8' ? "\\L" : "\\P";
      i += 2;
    } else if (u < 0x20 || u == 0x7f) {
      out += "\\x";
      out += kHex[u >> 4];
      out += kHex[u & 15];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string SingleQuoted(std::string_view v) {
  std::string out = "'";
  for (char c : v) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

}  // namespace

Result<Edit> SetScalar(std::string_view text, const Document& doc, NodeId id,
                       std::string_view value) {
  const Node& n = doc.node(id);
  if (n.type == NodeType::kAlias)
    return Refuse(n, "the value is an alias of an anchored value elsewhere");
  if (n.type == NodeType::kNull && n.implicit) return Refuse(n, "the key has no value to replace");
  if (n.type != NodeType::kScalar && n.type != NodeType::kNull)
    return Refuse(n, "the value is not a scalar");
  if (n.style == ScalarStyle::kLiteral || n.style == ScalarStyle::kFolded)
    return Refuse(n, "the value is a block scalar");
  if (n.end <= n.pos.offset || n.end > text.size())
    return Refuse(n, "the value has no position in the text");
  // YAML text is UTF-8 of printable characters (YAML 1.2 c-printable): anything else would
  // leave a file that no longer parses.
  for (std::size_t i = 0; i < value.size();) {
    std::size_t len = Utf8SequenceLength(value, i);
    if (len == 0) return Refuse(n, "the new value is not valid UTF-8");
    if (!Printable(value.substr(i, len)))
      return Refuse(n, "the new value holds a character YAML cannot hold");
    i += len;
  }
  std::string_view old_text = text.substr(n.pos.offset, n.end - n.pos.offset);
  if (old_text.find_first_of("\n\r") != std::string_view::npos || HasUnicodeBreak(old_text))
    return Refuse(n, "the value spans several lines");
  // As the parser read it: `&-:x` is the anchor `-` on `:x`, which no look at the text
  // before the value tells reliably.
  if (n.anchored) return Refuse(n, "the value carries an anchor that other nodes may share");
  if (value.find_first_of("\n\r") != std::string_view::npos)
    return Refuse(n, "the new value spans several lines");

  std::string replacement;
  switch (n.style) {
    case ScalarStyle::kPlain: {
      Node probe;
      probe.type = NodeType::kScalar;
      probe.tag = n.tag;
      probe.value = std::string(value);
      bool same_kind = ResolveScalar(probe).kind == ResolveScalar(n).kind;
      replacement = PlainWritable(value) && same_kind ? std::string(value) : DoubleQuoted(value);
      break;
    }
    case ScalarStyle::kSingleQuoted:
      replacement = HasUnicodeBreak(value) ? DoubleQuoted(value) : SingleQuoted(value);
      break;
    default:
      replacement = DoubleQuoted(value);
  }
  // The edited text must read back as cleanly, with the same nodes. A new quoting style can
  // change how what follows the value reads: a plain scalar takes in the blank lines after it,
  // tabs included, and a quoted one leaves a tab there to be read as indentation.
  std::string edited(text.substr(0, n.pos.offset));
  edited += replacement;
  edited += text.substr(n.pos.offset + old_text.size());
  ParsedFile after = Parse(edited);
  if (!after.issues.empty())
    return Refuse(n, "the edited file would not read back: " + after.issues.front().message);
  if (static_cast<std::size_t>(doc.index()) >= after.documents.size() ||
      after.documents[doc.index()].size() != doc.size())
    return Refuse(n, "the edited file would read back with other nodes");
  return Edit{n.pos.offset, old_text.size(), std::move(replacement)};
}

namespace {

// A string value written so that it reads back as that string.
std::string StringScalar(std::string_view v) {
  Node probe;
  probe.type = NodeType::kScalar;
  probe.value = std::string(v);
  return PlainWritable(v) && ResolveScalar(probe).kind == ScalarKind::kString ? std::string(v)
                                                                              : DoubleQuoted(v);
}

// Byte offset just past the source text of node id and everything nested in it.
std::size_t EndOf(std::string_view text, const Document& doc, NodeId id, int depth = 0) {
  const Node& n = doc.node(id);
  if (n.type == NodeType::kAlias) {
    std::size_t i = n.pos.offset;
    while (i < text.size() && text[i] != ' ' && text[i] != '\n' && text[i] != '\r' &&
           text[i] != ',' && text[i] != '}' && text[i] != ']')
      ++i;
    return i;
  }
  if ((n.type == NodeType::kMapping || n.type == NodeType::kSequence) && !n.children.empty() &&
      depth < 512)
    return EndOf(text, doc, n.children.back(), depth + 1);
  return std::max(n.end, n.pos.offset);
}

}  // namespace

Result<Edit> InsertKey(std::string_view text, const Document& doc, NodeId mapping,
                       std::string_view key, std::string_view value) {
  mapping = doc.Resolve(mapping);
  const Node& m = doc.node(mapping);
  if (m.type != NodeType::kMapping) return Refuse(m, "not a mapping");
  if (doc.Get(mapping, key) != kNoNode)
    return Refuse(m, "the key " + QuoteForMessage(key) + " is already there");
  std::string entry = StringScalar(key) + ": " + StringScalar(value);
  if (m.flow) {
    std::size_t from = m.children.empty() ? m.pos.offset + 1 : EndOf(text, doc, m.children.back());
    std::size_t close = text.find('}', from);
    if (close == std::string_view::npos) return Refuse(m, "the flow mapping has no closing brace");
    return Edit{close, 0, m.children.empty() ? entry : ", " + entry};
  }
  if (m.children.empty()) return Refuse(m, "an empty block mapping has no indentation to follow");
  if (HasOtherLineBreak(text))
    return Refuse(m, "the file breaks a line with a lone carriage return or a Unicode separator");
  const Node& first_key = doc.node(m.children.front());
  std::size_t line_start =
      text.rfind('\n', first_key.pos.offset == 0 ? 0 : first_key.pos.offset - 1);
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  // The indentation is the first key's column; a key on a "- " item line is indented past it.
  std::string indent(first_key.pos.offset - line_start, ' ');
  for (std::size_t i = line_start; i < first_key.pos.offset; ++i)
    if (text[i] == '\t') indent[i - line_start] = '\t';
  bool crlf = text.find("\r\n") != std::string_view::npos;
  std::string eol = crlf ? "\r\n" : "\n";
  std::size_t end = EndOf(text, doc, m.children.back());
  std::size_t nl = text.find('\n', end == 0 ? 0 : end - 1);
  if (end > 0 && text[end - 1] == '\n') nl = end - 1;  // a block scalar ends after its newline
  if (nl == std::string_view::npos) return Edit{text.size(), 0, eol + indent + entry};
  std::size_t at = nl > 0 && text[nl - 1] == '\r' ? nl - 1 : nl;
  return Edit{at, 0, eol + indent + entry};
}

Result<std::string> ApplyEdits(std::string_view text, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(),
            [](const Edit& a, const Edit& b) { return a.offset < b.offset; });
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const Edit& e : edits) {
    if (e.offset < at || e.offset + e.length > text.size())
      return Status::InvalidArgument("edits overlap or reach past the end of the text");
    out.append(text.substr(at, e.offset - at));
    out += e.replacement;
    at = e.offset + e.length;
  }
  out.append(text.substr(at));
  return out;
}

}  // namespace capstan::yaml

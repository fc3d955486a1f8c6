#include "yaml/parser.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <memory>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "yaml/source.h"

namespace capstan::yaml {
namespace {

struct DepthExceeded {
  YAML::Mark mark;
};

// yaml-cpp 0.7 accepts a quoted scalar that runs to the end of the file without its closing
// quote; PyYAML, go-yaml and kubectl reject it.
struct UnterminatedQuote {
  std::size_t offset;
};

// Offset just past the closing quote of the quoted scalar opening at `open`, or npos.
std::size_t ClosingQuote(std::string_view text, std::size_t open) {
  char q = text[open];
  for (std::size_t i = open + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return std::string_view::npos;
}

// Mappings with more keys than this switch from a linear duplicate scan to a hash set, so a
// hostile 100,000-key mapping costs O(n), not O(n^2).
constexpr std::size_t kLinearKeyScan = 16;

class Builder final : public YAML::EventHandler {
 public:
  Builder(std::string_view text, const LineIndex& lines, const Limits& limits,
          std::vector<Issue>& issues)
      : text_(text), lines_(lines), limits_(limits), issues_(issues), bom_(BomLength(text)) {}

  void set_document_index(int i) { doc_index_ = i; }
  Document Take() { return std::move(doc_); }

  void OnDocumentStart(const YAML::Mark& mark) override {
    doc_ = Document();
    doc_.set_index(doc_index_);
    doc_.set_start(PositionOf(mark));
    stack_.clear();
    anchors_.clear();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.type = NodeType::kNull;
    n.pos = PositionOf(mark);
    std::size_t off = n.pos.offset;
    char c = off < text_.size() ? text_[off] : '\0';
    n.implicit = !(c == '~' || c == 'n' || c == 'N');
    Attach(std::move(n), anchor);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    Node n;
    n.type = NodeType::kAlias;
    n.pos = PositionOf(mark);
    auto it = anchors_.find(anchor);
    if (it != anchors_.end()) n.children.push_back(it->second);
    Attach(std::move(n), 0);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    Node n;
    n.type = NodeType::kScalar;
    n.pos = PositionOf(mark);
    if (tag != "?" && tag != "!") n.tag = tag;
    if (tag != "?") n.style = StyleAt(n.pos.offset);
    if ((n.style == ScalarStyle::kDoubleQuoted || n.style == ScalarStyle::kSingleQuoted) &&
        ClosingQuote(text_, n.pos.offset) == std::string_view::npos) {
      throw UnterminatedQuote{n.pos.offset};
    }
    n.value = value;
    Attach(std::move(n), anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value style) override {
    Open(NodeType::kSequence, mark, tag, anchor, style);
  }
  void OnSequenceEnd() override { Close(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value style) override {
    Open(NodeType::kMapping, mark, tag, anchor, style);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Open_ {
    NodeId id;
    std::unique_ptr<std::unordered_set<std::string>> keys;  // built once the mapping grows
  };

  Position PositionOf(const YAML::Mark& mark) const {
    if (mark.pos < 0) return lines_.At(0);
    std::size_t off = static_cast<std::size_t>(mark.pos) + bom_;
    return lines_.At(SkipProperties(off));
  }

  // yaml-cpp marks a node with an anchor or tag at the property; we want the content itself.
  std::size_t SkipProperties(std::size_t off) const {
    for (int guard = 0; guard < 4 && off < text_.size() && (text_[off] == '&' || text_[off] == '!');
         ++guard) {
      while (off < text_.size() && text_[off] != ' ' && text_[off] != '\t' && text_[off] != '\n' &&
             text_[off] != '\r')
        ++off;
      while (off < text_.size() && (text_[off] == ' ' || text_[off] == '\t')) ++off;
    }
    return off;
  }

  ScalarStyle StyleAt(std::size_t off) const {
    if (off >= text_.size()) return ScalarStyle::kPlain;
    switch (text_[off]) {
      case '\'':
        return ScalarStyle::kSingleQuoted;
      case '"':
        return ScalarStyle::kDoubleQuoted;
      case '|':
        return ScalarStyle::kLiteral;
      case '>':
        return ScalarStyle::kFolded;
      default:
        return ScalarStyle::kPlain;
    }
  }

  void Open(NodeType type, const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
            YAML::EmitterStyle::value style) {
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) throw DepthExceeded{mark};
    Node n;
    n.type = type;
    n.pos = PositionOf(mark);
    n.flow = style == YAML::EmitterStyle::Flow;
    if (tag != "?" && tag != "!") n.tag = tag;
    NodeId id = Attach(std::move(n), anchor);
    stack_.push_back(Open_{id, nullptr});
  }

  void Close() {
    if (!stack_.empty()) stack_.pop_back();
  }

  NodeId Attach(Node n, YAML::anchor_t anchor) {
    NodeId id = doc_.Add(std::move(n));
    if (anchor != 0) anchors_[anchor] = id;
    if (stack_.empty()) {
      doc_.set_root(id);
      return id;
    }
    Open_& parent = stack_.back();
    Node& p = doc_.mutable_node(parent.id);
    bool is_key = p.type == NodeType::kMapping && p.children.size() % 2 == 0;
    bool is_value = p.type == NodeType::kMapping && !is_key;
    if (is_key) CheckDuplicate(parent, id);
    if (is_value && doc_.node(id).type == NodeType::kNull && doc_.node(id).implicit) {
      doc_.mutable_node(id).pos = doc_.node(p.children.back()).pos;
    }
    doc_.mutable_node(parent.id).children.push_back(id);
    return id;
  }

  void CheckDuplicate(Open_& open, NodeId key_id) {
    const std::string* key = doc_.ScalarValue(key_id);
    if (key == nullptr) return;
    const Node& map = doc_.node(open.id);
    bool dup = false;
    if (open.keys) {
      dup = !open.keys->insert(*key).second;
    } else {
      for (std::size_t i = 0; i < map.children.size(); i += 2) {
        const std::string* other = doc_.ScalarValue(map.children[i]);
        if (other != nullptr && *other == *key) {
          dup = true;
          break;
        }
      }
      if (map.children.size() / 2 >= kLinearKeyScan) {
        open.keys = std::make_unique<std::unordered_set<std::string>>();
        for (std::size_t i = 0; i < map.children.size(); i += 2)
          if (const std::string* k = doc_.ScalarValue(map.children[i])) open.keys->insert(*k);
        open.keys->insert(*key);
      }
    }
    if (!dup) return;
    Position first;
    for (std::size_t i = 0; i < map.children.size(); i += 2) {
      const std::string* other = doc_.ScalarValue(map.children[i]);
      if (other != nullptr && *other == *key) {
        first = doc_.node(map.children[i]).pos;
        break;
      }
    }
    issues_.push_back(Issue{IssueKind::kDuplicateKey, doc_.node(key_id).pos,
                            "duplicate key '" + Printable(*key) + "' (first defined at line " +
                                std::to_string(first.line) + ")",
                            doc_index_});
  }

  static std::string Printable(const std::string& s) {
    std::string out;
    for (char c : s.substr(0, 80)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
    if (s.size() > 80) out += "...";
    return out;
  }

  std::string_view text_;
  const LineIndex& lines_;
  const Limits& limits_;
  std::vector<Issue>& issues_;
  std::size_t bom_;
  int doc_index_ = 0;
  Document doc_;
  std::vector<Open_> stack_;
  std::unordered_map<YAML::anchor_t, NodeId> anchors_;
};

bool HasTabIndent(std::string_view line) {
  for (char c : line) {
    if (c == '\t') return true;
    if (c != ' ' && c != '-') return false;
  }
  return false;
}

// A syntax issue at yaml-cpp's mark; when a tab indents that line or the next, the issue
// points at the tab and says so, since that is nearly always the cause.
Issue SyntaxIssue(const YAML::Exception& e, const LineIndex& lines, int index) {
  int line = e.mark.line + 1;
  Issue issue{IssueKind::kSyntax, lines.AtLineByte(line, e.mark.column + 1),
              "invalid YAML: " + e.msg, index};
  for (int l : {line, line + 1}) {
    std::string_view text = lines.Line(l);
    if (!HasTabIndent(text)) continue;
    issue.pos = lines.AtLineByte(l, static_cast<int>(text.find('\t')) + 1);
    issue.message += " (a tab character is used for indentation; YAML indents with spaces only)";
    break;
  }
  return issue;
}

}  // namespace

const char* IssueRule(IssueKind kind) {
  switch (kind) {
    case IssueKind::kSyntax:
      return "yaml-syntax";
    case IssueKind::kDuplicateKey:
      return "duplicate-key";
    case IssueKind::kEncoding:
      return "file-encoding";
    case IssueKind::kLimit:
      return "input-limit";
  }
  return "yaml-syntax";
}

ParsedFile Parse(std::string_view text, const Limits& limits) {
  ParsedFile out;
  LineIndex lines(text);
  if (auto problem = CheckText(text)) {
    out.issues.push_back(Issue{IssueKind::kEncoding, lines.At(problem->offset), problem->message, -1});
    out.complete = false;
    return out;
  }
  // yaml-cpp reads from a stream; the string copy is the price of its API.
  std::istringstream in{std::string(text)};
  Builder builder(text, lines, limits, out.issues);
  int index = 0;
  try {
    YAML::Parser parser(in);
    for (;;) {
      builder.set_document_index(index);
      if (!parser.HandleNextDocument(builder)) break;
      out.documents.push_back(builder.Take());
      ++index;
    }
  } catch (const DepthExceeded& e) {
    out.complete = false;
    out.issues.push_back(Issue{IssueKind::kLimit,
                               lines.At(static_cast<std::size_t>(std::max(e.mark.pos, 0)) + BomLength(text)),
                               "nesting deeper than " + std::to_string(limits.max_depth) +
                                   " levels is not supported",
                               index});
  } catch (const YAML::DeepRecursion& e) {
    out.complete = false;
    out.issues.push_back(Issue{IssueKind::kLimit, lines.AtLineByte(e.mark.line + 1, e.mark.column + 1),
                               "nesting too deep for the YAML parser", index});
  } catch (const UnterminatedQuote& e) {
    out.complete = false;
    out.issues.push_back(Issue{IssueKind::kSyntax, lines.At(e.offset),
                               "invalid YAML: quoted string is never closed", index});
  } catch (const YAML::Exception& e) {
    out.complete = false;
    out.issues.push_back(SyntaxIssue(e, lines, index));
  } catch (const std::exception& e) {
    out.complete = false;
    out.issues.push_back(Issue{IssueKind::kSyntax, lines.At(0),
                               std::string("invalid YAML: ") + e.what(), index});
  }
  return out;
}

}  // namespace capstan::yaml

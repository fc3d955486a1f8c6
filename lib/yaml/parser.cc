#include "yaml/parser.h"

#include <yaml.h>

#include <cctype>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "core/strings.h"
#include "yaml/source.h"
#include "yaml/syntax_error.h"

namespace capstan::yaml {
namespace {

// Mappings with more keys than this switch from a linear duplicate scan to a hash set, so a
// hostile 100,000-key mapping costs O(n), not O(n^2).
constexpr std::size_t kLinearKeyScan = 16;

// Builds a Document from libyaml's events. libyaml (the C library go-yaml was ported from, and
// so what kubectl accepts) parses without recursion; the builder bounds nesting itself.
class Builder {
 public:
  Builder(std::string_view text, const LineIndex& lines, const Limits& limits,
          std::vector<Issue>& issues)
      : text_(text), lines_(lines), limits_(limits), issues_(issues) {}

  void StartDocument(const yaml_mark_t& mark, int index) {
    doc_ = Document();
    doc_.set_index(index);
    doc_.set_start(PositionOf(mark));
    stack_.clear();
    anchors_.clear();
  }

  Document Take() { return std::move(doc_); }

  // Returns false (with an issue recorded) when the event cannot be accepted.
  bool Handle(const yaml_event_t& e, int index) {
    switch (e.type) {
      case YAML_SCALAR_EVENT:
        Scalar(e);
        return true;
      case YAML_ALIAS_EVENT:
        return Alias(e, index);
      case YAML_SEQUENCE_START_EVENT:
        return Open(NodeType::kSequence, e.start_mark, e.data.sequence_start.anchor,
                    e.data.sequence_start.tag,
                    e.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE, index);
      case YAML_MAPPING_START_EVENT:
        return Open(NodeType::kMapping, e.start_mark, e.data.mapping_start.anchor,
                    e.data.mapping_start.tag, e.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE,
                    index);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        if (!stack_.empty()) stack_.pop_back();
        return true;
      default:
        return true;
    }
  }

 private:
  struct OpenCollection {
    NodeId id;
    std::unique_ptr<std::unordered_set<std::string>> keys;  // built once the mapping grows
  };

  static std::string Str(const yaml_char_t* s) {
    return s == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(s));
  }

  Position PositionOf(const yaml_mark_t& mark) const {
    return lines_.At(SkipProperties(lines_.AtCharacter(mark.index).offset));
  }

  // A node's start mark is at its anchor or tag when it has one; we want the content itself.
  // An anchor is what libyaml reads as one: '&' and letters, digits, '_' and '-' (so in
  // "&a:b" the value starts at ':'); a tag runs to the next blank.
  std::size_t SkipProperties(std::size_t off) const {
    auto anchor_char = [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    };
    for (int guard = 0; guard < 4 && off < text_.size() && (text_[off] == '&' || text_[off] == '!');
         ++guard) {
      if (text_[off] == '&') {
        ++off;
        while (off < text_.size() && anchor_char(text_[off])) ++off;
      } else {
        while (off < text_.size() && text_[off] != ' ' && text_[off] != '\t' &&
               text_[off] != '\n' && text_[off] != '\r')
          ++off;
      }
      while (off < text_.size() && (text_[off] == ' ' || text_[off] == '\t')) ++off;
    }
    return off;
  }

  static std::string ExplicitTag(const yaml_char_t* tag) {
    std::string t = Str(tag);
    return t == "!" || t == "?" ? std::string() : t;
  }

  void Scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    Node n;
    n.pos = PositionOf(e.start_mark);
    n.end = lines_.AtCharacter(e.end_mark.index).offset;
    n.tag = ExplicitTag(s.tag);
    n.value.assign(reinterpret_cast<const char*>(s.value), s.length);
    switch (s.style) {
      case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        n.style = ScalarStyle::kSingleQuoted;
        break;
      case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        n.style = ScalarStyle::kDoubleQuoted;
        break;
      case YAML_LITERAL_SCALAR_STYLE:
        n.style = ScalarStyle::kLiteral;
        break;
      case YAML_FOLDED_SCALAR_STYLE:
        n.style = ScalarStyle::kFolded;
        break;
      default:
        n.style = ScalarStyle::kPlain;
    }
    bool plain_untagged = n.style == ScalarStyle::kPlain && n.tag.empty();
    if (plain_untagged && (n.value.empty() || n.value == "~" || n.value == "null" ||
                           n.value == "Null" || n.value == "NULL")) {
      n.type = NodeType::kNull;
      n.implicit = n.value.empty();
    } else {
      n.type = NodeType::kScalar;
    }
    Attach(std::move(n), Str(s.anchor));
  }

  bool Alias(const yaml_event_t& e, int index) {
    Node n;
    n.type = NodeType::kAlias;
    n.pos = PositionOf(e.start_mark);
    std::string name = Str(e.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      issues_.push_back(Issue{IssueKind::kSyntax, n.pos,
                              "invalid YAML: alias " + QuoteForMessage("*" + name) +
                                  " names no anchor defined before it",
                              index});
      return false;
    }
    for (const OpenCollection& open : stack_) {
      if (open.id != it->second) continue;
      // go-yaml refuses this too ("anchor value contains itself"); expanding it never ends.
      issues_.push_back(Issue{IssueKind::kSyntax, n.pos,
                              "invalid YAML: alias " + QuoteForMessage("*" + name) +
                                  " refers to a node that contains it",
                              index});
      return false;
    }
    n.children.push_back(it->second);
    Attach(std::move(n), "");
    return true;
  }

  bool Open(NodeType type, const yaml_mark_t& mark, const yaml_char_t* anchor,
            const yaml_char_t* tag, bool flow, int index) {
    Node n;
    n.type = type;
    n.pos = PositionOf(mark);
    if (static_cast<int>(stack_.size()) >= limits_.max_depth) {
      issues_.push_back(Issue{
          IssueKind::kLimit, n.pos,
          "nesting deeper than " + std::to_string(limits_.max_depth) + " levels is not supported",
          index});
      return false;
    }
    n.flow = flow;
    n.tag = ExplicitTag(tag);
    NodeId id = Attach(std::move(n), Str(anchor));
    stack_.push_back(OpenCollection{id, nullptr});
    return true;
  }

  NodeId Attach(Node n, const std::string& anchor) {
    n.anchored = !anchor.empty();
    NodeId id = doc_.Add(std::move(n));
    if (!anchor.empty()) anchors_[anchor] = id;
    if (stack_.empty()) {
      doc_.set_root(id);
      return id;
    }
    OpenCollection& parent = stack_.back();
    const Node& p = doc_.node(parent.id);
    bool is_key = p.type == NodeType::kMapping && p.children.size() % 2 == 0;
    bool is_value = p.type == NodeType::kMapping && !is_key;
    if (is_key) CheckDuplicate(parent, id);
    if (is_value && doc_.node(id).type == NodeType::kNull && doc_.node(id).implicit) {
      doc_.mutable_node(id).pos = doc_.node(p.children.back()).pos;
    }
    doc_.mutable_node(parent.id).children.push_back(id);
    return id;
  }

  void CheckDuplicate(OpenCollection& open, NodeId key_id) {
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
                            "duplicate key " + QuoteForMessage(*key) + " (first defined at line " +
                                std::to_string(first.line) + ")",
                            doc_.index()});
  }

  std::string_view text_;
  const LineIndex& lines_;
  const Limits& limits_;
  std::vector<Issue>& issues_;
  Document doc_;
  std::vector<OpenCollection> stack_;
  std::unordered_map<std::string, NodeId> anchors_;
};

struct ParserDeleter {
  void operator()(yaml_parser_t* p) const {
    yaml_parser_delete(p);
    delete p;
  }
};

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
    out.issues.push_back(
        Issue{IssueKind::kEncoding, lines.At(problem->offset), problem->message, -1});
    out.complete = false;
    return out;
  }
  std::unique_ptr<yaml_parser_t, ParserDeleter> parser(new yaml_parser_t);
  if (!yaml_parser_initialize(parser.get())) {
    delete parser.release();
    out.issues.push_back(Issue{IssueKind::kLimit, lines.At(0), "out of memory", -1});
    out.complete = false;
    return out;
  }
  // libyaml asserts on a null input, which an empty string_view may carry.
  static constexpr unsigned char kEmpty[] = "";
  yaml_parser_set_input_string(
      parser.get(),
      text.data() == nullptr ? kEmpty : reinterpret_cast<const unsigned char*>(text.data()),
      text.size());
  Builder builder(text, lines, limits, out.issues);
  int index = 0;
  for (bool done = false; !done;) {
    yaml_event_t event;
    if (!yaml_parser_parse(parser.get(), &event)) {
      out.issues.push_back(internal::SyntaxIssue(*parser, text, lines, index));
      out.complete = false;
      break;
    }
    bool ok = true;
    switch (event.type) {
      case YAML_STREAM_END_EVENT:
        done = true;
        break;
      case YAML_DOCUMENT_START_EVENT:
        builder.StartDocument(event.start_mark, index);
        break;
      case YAML_DOCUMENT_END_EVENT:
        out.documents.push_back(builder.Take());
        ++index;
        break;
      default:
        ok = builder.Handle(event, index);
    }
    yaml_event_delete(&event);
    if (!ok) {
      out.complete = false;
      break;
    }
  }
  return out;
}

}  // namespace capstan::yaml

// libFuzzer target: version constraints (first line) checked against versions (each later line).
// Property: a constraint's admitted set does not depend on white space: the same text with extra
// blanks around its operators, commas and "||" parses the same way and admits the same versions.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "semver/constraint.h"

namespace {

// Whether text may hold a hyphen range ("1 - 2": a blank before the '-').
bool MayHoldRange(std::string_view text) {
  for (std::size_t i = 1; i < text.size(); ++i)
    if (text[i] == '-' && (text[i - 1] == ' ' || text[i - 1] == '\t')) return true;
  return false;
}

// text with a blank added around every '||', ',' and before each operator character. Not
// around '||' when a hyphen range may be there: Masterminds' version class [0-9|x|X|\*] holds
// '|', so in "1||0 - 1" the range is "1||0 - 1" (>= 1 || 0, <= 1), and in "1 || 0 - 1" it is
// "0 - 1"; capstan reads both as Masterminds does (found by this target: a false alarm).
std::string Spaced(std::string_view text) {
  const bool ranges = MayHoldRange(text);
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!ranges && text.substr(i).starts_with("||")) {
      out += " || ";
      ++i;
    } else if (c == ',') {
      out += " , ";
    } else if (c == '>' || c == '<' || c == '~' || c == '^' || c == '!') {
      if (i == 0 || std::string_view("><=!~^").find(text[i - 1]) == std::string_view::npos)
        out += ' ';
      out += c;
    } else {
      out += c;
    }
  }
  return "  " + out + "  ";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace capstan::semver;
  auto [constraint_text, versions] = capstan::fuzz::FirstLine(capstan::fuzz::AsText(data, size));
  auto c = ParseConstraint(constraint_text);
  if (!c.ok()) return 0;
  auto spaced = ParseConstraint(Spaced(constraint_text));
  CAPSTAN_FUZZ_CHECK(spaced.ok());
  for (std::string_view rest = versions; !rest.empty();) {
    auto [line, after] = capstan::fuzz::FirstLine(rest);
    rest = after;
    auto v = ParseCoerce(line);
    if (!v.ok()) continue;
    bool admitted = c->Check(*v);
    CAPSTAN_FUZZ_CHECK(spaced->Check(*v) == admitted);
    CAPSTAN_FUZZ_CHECK(c->Validate(*v).empty() == admitted);
  }
  return 0;
}

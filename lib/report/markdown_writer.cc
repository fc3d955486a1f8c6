#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"
#include "report/writer.h"
#include "report/writers.h"

namespace capstan::report::internal {
namespace {

// Text from the repository (file names, messages) as the content of one table cell that reads
// literally: the punctuation that means something inline is backslash-escaped (so `|` cannot end
// the cell and `*`, `_`, `[`, `` ` ``, `$`, `@`, `#`... neither format, link, compute, mention nor
// reference an issue), `<`, `>` and `&` become entities (no HTML), line breaks become <br>, other
// control characters a space, and bytes that are not UTF-8 U+FFFD. A cell holds no block, so
// `-`, `+` and parentheses stay as they are: file names and rule ids read as written.
std::string Cell(std::string_view s) {
  static constexpr std::string_view kEscaped = "\\`*_[]!|~$@#";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = Utf8SequenceLength(s, i);
    if (n == 0) {
      out += "\xef\xbf\xbd";
      ++i;
      continue;
    }
    if (n > 1) {
      out.append(s, i, n);
      i += n;
      continue;
    }
    char c = s[i++];
    if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else if (c == '&') {
      out += "&amp;";
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i < s.size() && s[i] == '\n') ++i;
      out += "<br>";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      if (kEscaped.find(c) != std::string_view::npos) out += '\\';
      out += c;
    }
  }
  return out;
}

std::string Row(std::initializer_list<std::string_view> cells) {
  std::string row = "|";
  for (std::string_view c : cells) row += " " + Cell(c) + " |";
  return row + "\n";
}

std::string FindingRow(const Finding& f) {
  return Row({SeverityName(f.severity), Location(f), f.rule, MessageWithResource(f)});
}

std::string DeploymentRow(const Deployment& d) {
  return Row({d.name, d.outcome, d.revision.substr(0, 7), d.sync_status, d.health,
              std::to_string(std::max(d.duration_ms, 0LL) / 1000) + "s"});
}

std::string Omitted(std::size_t rows) {
  return "\n_" + std::to_string(rows) + (rows == 1 ? " row" : " rows") +
         " left out: GitHub drops a job summary over 1 MiB. Every finding is in the tool's "
         "other report formats._\n";
}

}  // namespace

void WriteMarkdown(const Report& report, std::ostream& out) {
  // Rows are added while the whole text, with room left for the closing count, stays below
  // the cap; deployments (few, and capstan-sync's main result) before findings.
  const std::size_t reserve = Omitted(report.findings.size() + report.deployments.size()).size();
  std::string heading = "### " + Cell(report.tool) + ": " + Cell(SummaryLine(report)) + "\n";
  std::string findings_head =
      report.findings.empty()
          ? ""
          : "\n| Severity | Location | Rule | Message |\n| --- | --- | --- | --- |\n";
  std::string deployments_head =
      report.deployments.empty()
          ? ""
          : "\n| Application | Outcome | Revision | Sync | Health | Duration |\n"
            "| --- | --- | --- | --- | --- | --- |\n";
  std::size_t size = heading.size() + findings_head.size() + deployments_head.size();
  std::size_t omitted = 0;
  auto fits = [&](const std::string& row) {
    if (omitted == 0 && size + row.size() + reserve < kMaxMarkdownBytes) {
      size += row.size();
      return true;
    }
    ++omitted;
    return false;
  };
  std::string deployments;
  for (const Deployment& d : report.deployments) {
    std::string row = DeploymentRow(d);
    if (fits(row)) deployments += row;
  }
  std::string findings;
  for (const Finding* f : MostSevereFirst(report)) {
    std::string row = FindingRow(*f);
    if (fits(row)) findings += row;
  }
  out << heading << findings_head << findings << deployments_head << deployments;
  if (omitted > 0) out << Omitted(omitted);
}

}  // namespace capstan::report::internal

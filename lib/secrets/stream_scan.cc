// Scanner::StartStream and StreamScan (scanner.h): the token rules over a text seen through a
// sliding window. Each window is scanned whole; a match is kept when it starts before the
// window's last kOverlap bytes (the final window keeps all), and the next window starts at that
// boundary, so a credential cut by a window's end is found whole in the next one and none is
// reported twice.
#include <algorithm>
#include <string>

#include "report/suppression.h"
#include "secrets/redact.h"
#include "secrets/scanner.h"
#include "secrets/token_finding.h"
#include "yaml/source.h"

namespace capstan::secrets {
namespace {

constexpr std::size_t kWindow = 4u << 20;
constexpr std::size_t kOverlap = 64u << 10;

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

struct StreamScan::Impl {
  const TokenScanner* tokens = nullptr;
  std::string name;
  std::string window;      // the text from `base` on that is not yet consumed
  std::size_t base = 0;    // absolute offset of window[0]
  std::size_t accept = 0;  // absolute offset from which matches are new
  // Position of the cursor: absolute offset, 1-based line, 0-based code-point column.
  std::size_t cursor = 0;
  int line = 1;
  std::size_t column = 0;
  std::vector<ScanFinding> findings;

  // Moves the cursor forward to absolute offset `to` (inside the window).
  void Advance(std::size_t to) {
    // A byte order mark takes no column, as in the whole-file scan (yaml/source.h).
    if (cursor == 0 && base == 0 && to >= yaml::BomLength(window)) cursor = yaml::BomLength(window);
    for (std::size_t i = cursor - base; i < to - base; ++i) {
      if (window[i] == '\n') {
        ++line;
        column = 0;
      } else if (!IsContinuationByte(window[i])) {
        ++column;
      }
    }
    cursor = to;
  }

  // Whether the finding's line or the one above holds a capstan:allow covering rule (as far as the
  // window holds them: a line longer than the window is checked in its visible part only).
  bool Allowed(std::size_t at, std::string_view rule) const {
    std::size_t rel = at - base;
    std::size_t start = window.rfind('\n', rel);
    std::size_t end = window.find('\n', rel);
    std::size_t line_start = start == std::string::npos ? 0 : start + 1;
    std::string_view here(window.data() + line_start,
                          (end == std::string::npos ? window.size() : end) - line_start);
    if (report::AllowMarkerCovers(here, rule)) return true;
    if (start == std::string::npos || start == 0) return false;
    std::size_t prev = window.rfind('\n', start - 1);
    std::size_t prev_start = prev == std::string::npos ? 0 : prev + 1;
    return report::AllowMarkerCovers(
        std::string_view(window.data() + prev_start, start - prev_start), rule);
  }

  void ScanWindow(bool last) {
    std::size_t keep_before = last ? base + window.size() : base + window.size() - kOverlap;
    for (const TokenMatch& m : tokens->Scan(window)) {
      std::size_t at = base + m.offset;
      if (at < accept || at >= keep_before) continue;
      Advance(at);
      if (Allowed(at, m.rule_id)) continue;
      std::string_view secret(window.data() + m.offset, m.length);
      internal::TokenVerdict verdict = internal::DescribeTokenMatch(*tokens, m, secret);
      report::Finding f;
      f.rule = m.rule_id;
      f.severity = verdict.severity;
      f.message = std::move(verdict.message);
      f.file = name;
      f.line = line;
      f.column = static_cast<int>(column) + 1;
      findings.push_back(ScanFinding{std::move(f), SecretFingerprint(m.rule_id, secret).substr(7)});
    }
    accept = keep_before;
    if (last) return;
    // Keep the overlap; the cursor moves to the cut so the dropped bytes are counted once.
    std::size_t cut = keep_before;
    if (cursor < cut) Advance(cut);
    window.erase(0, cut - base);
    base = cut;
  }
};

StreamScan::StreamScan(const TokenScanner& tokens, std::string_view name)
    : impl_(std::make_unique<Impl>()) {
  impl_->tokens = &tokens;
  impl_->name = std::string(name);
}
StreamScan::StreamScan(StreamScan&&) noexcept = default;
StreamScan& StreamScan::operator=(StreamScan&&) noexcept = default;
StreamScan::~StreamScan() = default;

void StreamScan::Feed(std::string_view piece) {
  while (!piece.empty()) {
    std::size_t room = kWindow + kOverlap - impl_->window.size();
    std::size_t n = std::min(room, piece.size());
    impl_->window.append(piece.substr(0, n));
    piece.remove_prefix(n);
    if (impl_->window.size() == kWindow + kOverlap) impl_->ScanWindow(/*last=*/false);
  }
}

FileScan StreamScan::Finish() {
  impl_->ScanWindow(/*last=*/true);
  FileScan result;
  result.findings = std::move(impl_->findings);
  return result;
}

}  // namespace capstan::secrets

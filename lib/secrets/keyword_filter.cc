#include "secrets/keyword_filter.h"

#include <algorithm>
#include <limits>

namespace capstan::secrets {
namespace {

constexpr std::uint32_t kNoState = std::numeric_limits<std::uint32_t>::max();
// The class of a byte that starts KELVIN SIGN (E2 84 AA) or LONG S (C5 BF); Find decodes it.
constexpr std::uint8_t kFoldLead = 255;
// In a transition: the state it leads to has keywords ending there.
constexpr std::uint32_t kHasOutput = 1u << 31;

}  // namespace

bool KeywordFilter::Accepts(std::string_view keyword) {
  if (keyword.empty()) return false;
  return std::none_of(keyword.begin(), keyword.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b > 127 || (b >= 'A' && b <= 'Z');
  });
}

KeywordFilter::KeywordFilter(const std::vector<std::string>& keywords)
    : keyword_count_(keywords.size()) {
  for (const std::string& k : keywords) {
    for (char ch : k) {
      const auto b = static_cast<unsigned char>(ch);
      if (class_of_[b] != 0) continue;
      class_of_[b] = classes_;
      if (b >= 'a' && b <= 'z') class_of_[b - 'a' + 'A'] = classes_;
      ++classes_;
    }
  }
  long_s_ = class_of_['s'];
  kelvin_ = class_of_['k'];
  if (long_s_ != 0) class_of_[0xC5] = kFoldLead;
  if (kelvin_ != 0) class_of_[0xE2] = kFoldLead;

  // The trie, children as a list per state while it grows.
  struct Link {
    std::uint32_t state;
    std::uint8_t symbol;
    std::uint32_t sibling;  // the next child of the same parent, or kNoState
  };
  std::size_t most_states = 1;
  for (const std::string& k : keywords) most_states += k.size();
  std::vector<Link> links;
  links.reserve(most_states);
  std::vector<std::uint32_t> first_link(most_states, kNoState);
  std::vector<std::uint32_t> end_state(keywords.size());
  std::uint32_t states = 1;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    std::uint32_t state = 0;
    for (char ch : keywords[i]) {
      const std::uint8_t symbol = class_of_[static_cast<unsigned char>(ch)];
      std::uint32_t e = first_link[state];
      while (e != kNoState && links[e].symbol != symbol) e = links[e].sibling;
      if (e == kNoState) {
        links.push_back({states++, symbol, first_link[state]});
        e = first_link[state] = static_cast<std::uint32_t>(links.size() - 1);
      }
      state = links[e].state;
    }
    end_state[i] = state;
  }

  // The children, laid out by state.
  std::vector<std::uint32_t> child_from(states + 1, 0);
  for (std::uint32_t s = 0; s < states; ++s) {
    std::uint32_t count = 0;
    for (std::uint32_t e = first_link[s]; e != kNoState; e = links[e].sibling) ++count;
    child_from[s + 1] = child_from[s] + count;
  }
  std::vector<std::pair<std::uint8_t, std::uint32_t>> children(links.size());
  for (std::uint32_t s = 0; s < states; ++s) {
    std::uint32_t at = child_from[s];
    for (std::uint32_t e = first_link[s]; e != kNoState; e = links[e].sibling)
      children[at++] = {links[e].symbol, links[e].state};
  }

  // Keywords by the state they end at: own[own_from[s] .. own_from[s + 1]).
  std::vector<std::uint32_t> own_from(states + 1, 0);
  for (std::uint32_t s : end_state) ++own_from[s + 1];
  for (std::uint32_t s = 0; s < states; ++s) own_from[s + 1] += own_from[s];
  std::vector<std::uint32_t> own(keywords.size());
  {
    std::vector<std::uint32_t> fill(own_from.begin(), own_from.end() - 1);
    for (std::size_t i = 0; i < keywords.size(); ++i)
      own[fill[end_state[i]]++] = static_cast<std::uint32_t>(i);
  }

  // Breadth first, so that a state's failure link (a shallower state) is complete before the
  // state. Every state gets a full row of transitions: its link's row with its own children
  // written over it, so Find takes one table lookup per byte (a row per state costs a few
  // hundred kilobytes for the built-in keywords and is filled in microseconds). Each state's
  // output is its own keywords then its link's (out_span_ indexes out_ by state).
  const std::size_t width = classes_;
  const auto w = static_cast<std::uint32_t>(width);
  std::vector<std::uint32_t> fail(states, 0);
  out_span_.assign(states, {0, 0});
  rows_.assign(static_cast<std::size_t>(states) * width, 0);
  std::vector<std::uint32_t> order{0};
  order.reserve(states);
  for (std::size_t q = 0; q < order.size(); ++q) {
    const std::uint32_t s = order[q];
    const auto begin = static_cast<std::uint32_t>(out_.size());
    out_.insert(out_.end(), own.begin() + own_from[s], own.begin() + own_from[s + 1]);
    if (s != 0) {
      const auto [from, to] = out_span_[fail[s]];
      for (std::uint32_t o = from; o < to; ++o) out_.push_back(out_[o]);
      std::copy_n(rows_.begin() + static_cast<std::ptrdiff_t>(fail[s] * width), width,
                  rows_.begin() + static_cast<std::ptrdiff_t>(s * width));
    }
    out_span_[s] = {begin, static_cast<std::uint32_t>(out_.size())};
    for (std::uint32_t e = child_from[s]; e < child_from[s + 1]; ++e) {
      const auto [symbol, to] = children[e];
      // The child's link is where its parent's link goes on the symbol (the root's children
      // link to the root); that row is complete, being shallower and so visited already.
      const std::uint32_t link = s == 0 ? 0 : rows_[fail[s] * width + symbol];
      fail[to] = (link & ~kHasOutput) / w;
      // Keywords end at the child when its own do, or its link's (link & kHasOutput).
      const bool output = own_from[to + 1] != own_from[to] || (link & kHasOutput) != 0;
      rows_[s * width + symbol] = to * w | (output ? kHasOutput : 0);
      order.push_back(to);
    }
  }
}

std::vector<std::size_t> KeywordFilter::Find(std::string_view text) const {
  std::vector<std::size_t> found;
  if (keyword_count_ == 0) return found;
  std::vector<char> seen(keyword_count_, 0);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::uint32_t state = 0;  // the row of the current state: state * classes_
  for (std::size_t i = Run(p, 0, n, state); i < n; i = Run(p, i + 1, n, state)) {
    const auto [from, to] = out_span_[state / classes_];
    for (std::uint32_t o = from; o < to; ++o) {
      if (seen[out_[o]]) continue;
      seen[out_[o]] = 1;
      found.push_back(out_[o]);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

std::size_t KeywordFilter::Run(const unsigned char* p, std::size_t i, std::size_t n,
                               std::uint32_t& state_io) const {
  // Locals only, so the loop keeps everything in registers.
  const std::uint8_t* class_of = class_of_;
  const std::uint32_t* rows = rows_.data();
  std::uint32_t state = state_io;
  for (; i < n; ++i) {
    std::uint8_t c = class_of[p[i]];
    if (c == kFoldLead) [[unlikely]] {
      c = 0;
      if (p[i] == 0xC5 && i + 1 < n && p[i + 1] == 0xBF) {
        c = long_s_;
        i += 1;
      } else if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x84 && p[i + 2] == 0xAA) {
        c = kelvin_;
        i += 2;
      }
    }
    const std::uint32_t entry = rows[state + c];
    state = entry & ~kHasOutput;
    if ((entry & kHasOutput) != 0) [[unlikely]]
      break;
  }
  state_io = state;
  return i;
}

}  // namespace capstan::secrets

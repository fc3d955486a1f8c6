#include "secrets/keyword_filter.h"

#include <algorithm>
#include <limits>

namespace capstan::secrets {
namespace {

constexpr std::uint32_t kNoState = std::numeric_limits<std::uint32_t>::max();
// The class of a byte that starts KELVIN SIGN (E2 84 AA) or LONG S (C5 BF); Find decodes it.
constexpr std::uint8_t kFoldLead = 255;

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

  // The trie: next_ holds each state's children, kNoState where it has none; the same children
  // are kept as a list per state (child_) for the breadth-first pass below.
  const std::size_t width = classes_;
  std::size_t most_states = 1;
  for (const std::string& k : keywords) most_states += k.size();
  next_.reserve(most_states * width);
  next_.assign(width, kNoState);
  struct Child {
    std::uint32_t state;
    std::uint8_t symbol;
    std::uint32_t sibling;  // the next child of the same parent, or kNoState
  };
  std::vector<Child> child;
  child.reserve(most_states);
  std::vector<std::uint32_t> first_child(most_states, kNoState);
  std::vector<std::uint32_t> end_state(keywords.size());
  std::uint32_t states = 1;
  for (std::size_t i = 0; i < keywords.size(); ++i) {
    std::uint32_t state = 0;
    for (char ch : keywords[i]) {
      const std::uint8_t symbol = class_of_[static_cast<unsigned char>(ch)];
      std::uint32_t& to = next_[state * width + symbol];
      if (to == kNoState) {
        to = states++;
        child.push_back({to, symbol, first_child[state]});
        first_child[state] = static_cast<std::uint32_t>(child.size() - 1);
        next_.resize(next_.size() + width, kNoState);
      }
      state = next_[state * width + symbol];
    }
    end_state[i] = state;
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

  // Breadth first, so a state's failure link (a shallower state) is complete before the state:
  // its row is the link's row with its own children written over, and its output is its own
  // keywords then the link's output (out_span_ indexes out_ by state).
  std::vector<std::uint32_t> fail(states, 0);
  std::vector<std::uint32_t> order{0};
  order.reserve(states);
  out_span_.assign(states, {0, 0});
  for (std::size_t q = 0; q < order.size(); ++q) {
    const std::uint32_t s = order[q];
    const auto begin = static_cast<std::uint32_t>(out_.size());
    out_.insert(out_.end(), own.begin() + own_from[s], own.begin() + own_from[s + 1]);
    if (s != 0) {
      const auto [from, to] = out_span_[fail[s]];
      for (std::uint32_t o = from; o < to; ++o) out_.push_back(out_[o]);
    }
    out_span_[s] = {begin, static_cast<std::uint32_t>(out_.size())};
    std::uint32_t* row = next_.data() + s * width;
    const std::uint32_t* fail_row = next_.data() + fail[s] * width;
    if (s == 0) {
      std::fill(row, row + width, 0);
    } else {
      std::copy(fail_row, fail_row + width, row);
    }
    for (std::uint32_t e = first_child[s]; e != kNoState; e = child[e].sibling) {
      fail[child[e].state] = s == 0 ? 0 : fail_row[child[e].symbol];
      row[child[e].symbol] = child[e].state;
      order.push_back(child[e].state);
    }
  }
}

std::vector<std::size_t> KeywordFilter::Find(std::string_view text) const {
  std::vector<std::size_t> found;
  if (keyword_count_ == 0) return found;
  std::vector<char> seen(keyword_count_, 0);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::size_t width = classes_;
  std::uint32_t state = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint8_t c = class_of_[p[i]];
    if (c == kFoldLead) {
      c = 0;
      if (p[i] == 0xC5 && i + 1 < n && p[i + 1] == 0xBF) {
        c = long_s_;
        i += 1;
      } else if (p[i] == 0xE2 && i + 2 < n && p[i + 1] == 0x84 && p[i + 2] == 0xAA) {
        c = kelvin_;
        i += 2;
      }
    }
    state = next_[state * width + c];
    const auto [from, to] = out_span_[state];
    for (std::uint32_t o = from; o < to; ++o) {
      if (seen[out_[o]]) continue;
      seen[out_[o]] = 1;
      found.push_back(out_[o]);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace capstan::secrets

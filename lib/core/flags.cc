#include "core/flags.h"

#include <algorithm>
#include <charconv>
#include <optional>

#include "core/strings.h"

namespace capstan::flags {
namespace {

const Flag* FindLong(std::span<const Flag> table, std::string_view name) {
  for (const auto& f : table)
    if (f.name == name) return &f;
  return nullptr;
}

const Flag* FindShort(std::span<const Flag> table, char c) {
  for (const auto& f : table)
    if (f.short_name != 0 && f.short_name == c) return &f;
  return nullptr;
}

}  // namespace

std::string Parsed::Get(std::string_view name, std::string_view fallback) const {
  auto it = values_.find(name);
  if (it == values_.end() || it->second.empty()) return std::string(fallback);
  return it->second.back();
}

const std::vector<std::string>& Parsed::All(std::string_view name) const {
  static const std::vector<std::string> kEmpty;
  auto it = values_.find(name);
  return it == values_.end() ? kEmpty : it->second;
}

Result<Parsed> Parse(std::span<const Flag> table, std::span<const std::string> args) {
  Parsed parsed;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_done || arg == "-" || arg.size() < 2 || arg[0] != '-') {
      parsed.positionals_.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_done = true;
      continue;
    }
    const Flag* flag = nullptr;
    std::string shown;
    std::optional<std::string> inline_value;
    if (arg[1] == '-') {
      std::string_view body = std::string_view(arg).substr(2);
      auto eq = body.find('=');
      std::string_view name = body.substr(0, eq);
      if (eq != std::string_view::npos) inline_value = std::string(body.substr(eq + 1));
      flag = FindLong(table, name);
      shown = "--" + std::string(name);
    } else {
      flag = FindShort(table, arg[1]);
      shown = arg.substr(0, 2);
      if (arg.size() > 2) inline_value = arg.substr(2);
    }
    if (flag == nullptr) return Status::InvalidArgument("unknown option " + QuoteForMessage(shown));
    std::string value;
    if (flag->value_name.empty()) {
      if (inline_value)
        return Status::InvalidArgument("option " + QuoteForMessage(shown) + " takes no value");
    } else if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      return Status::InvalidArgument("option " + QuoteForMessage(shown) + " needs a value");
    }
    auto& slot = parsed.values_[std::string(flag->name)];
    if (!flag->repeatable && !slot.empty() && !flag->value_name.empty() && slot.back() != value)
      return Status::InvalidArgument("option '--" + std::string(flag->name) +
                                     "' given twice with different values");
    slot.push_back(std::move(value));
  }
  return parsed;
}

std::string Usage(std::string_view synopsis, std::string_view description,
                  std::span<const Flag> table) {
  std::vector<std::pair<std::string, std::string_view>> rows;
  size_t width = 0;
  for (const auto& f : table) {
    std::string left = f.short_name ? std::string("-") + f.short_name + ", " : "    ";
    left += "--" + std::string(f.name);
    if (!f.value_name.empty()) left += " " + std::string(f.value_name);
    width = std::max(width, left.size());
    rows.emplace_back(std::move(left), f.help);
  }
  std::string out = "usage: " + std::string(synopsis) + "\n\n" + std::string(description) + "\n";
  if (!rows.empty()) out += "\noptions:\n";
  for (auto& [left, help] : rows) {
    out += "  " + left + std::string(width - left.size() + 2, ' ') + std::string(help) + "\n";
  }
  return out;
}

Result<long> ParseCount(std::string_view flag, std::string_view value, long min, long max) {
  long n = 0;
  auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc() || ptr != value.data() + value.size() || n < min || n > max) {
    return Status::InvalidArgument("option '--" + std::string(flag) + "' needs a number from " +
                                   std::to_string(min) + " to " + std::to_string(max) + ", not " +
                                   QuoteForMessage(value));
  }
  return n;
}

Result<std::chrono::milliseconds> ParseDuration(std::string_view flag, std::string_view value,
                                                std::chrono::milliseconds min) {
  auto bad = [&] {
    return Status::InvalidArgument(
        "option '--" + std::string(flag) + "' needs a duration such as 30s, 5m or 1h" +
        (min > std::chrono::milliseconds(1) ? " (at least " + std::to_string(min.count()) + " ms)"
                                            : "") +
        ", not " + QuoteForMessage(value));
  };
  long long total = 0;
  std::string_view rest = value;
  if (rest.empty()) return bad();
  // Plain seconds, as the argocd and kubectl CLIs take "--timeout 300".
  if (rest.find_first_not_of("0123456789") == std::string_view::npos) {
    long long n = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || n > (1ll << 40) / 1000) return bad();
    if (std::chrono::seconds(n) < min) return bad();
    return std::chrono::milliseconds(n * 1000);
  }
  while (!rest.empty()) {
    long long n = 0;
    auto [ptr, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || ptr == rest.data() || n < 0) return bad();
    rest.remove_prefix(static_cast<std::size_t>(ptr - rest.data()));
    long long unit = 0;
    if (rest.rfind("ms", 0) == 0) {
      unit = 1;
      rest.remove_prefix(2);
    } else if (!rest.empty() && (rest[0] == 'h' || rest[0] == 'm' || rest[0] == 's')) {
      unit = rest[0] == 'h' ? 3600000 : rest[0] == 'm' ? 60000 : 1000;
      rest.remove_prefix(1);
    } else {
      return bad();
    }
    if (n > (1ll << 40) / unit) return bad();
    total += n * unit;
  }
  if (std::chrono::milliseconds(total) < min) return bad();
  return std::chrono::milliseconds(total);
}

}  // namespace capstan::flags

#include "http/line_splitter.h"

namespace capstan::http {

LineSplitter::LineSplitter(std::size_t max_line_bytes) : max_line_bytes_(max_line_bytes) {}

Status LineSplitter::Feed(std::string_view chunk,
                          const std::function<Status(std::string_view line)>& on_line) {
  auto too_long = [&] {
    return Status::LimitExceeded("line exceeds " + std::to_string(max_line_bytes_) + " bytes");
  };
  std::size_t i = 0;
  if (skip_lf_ && !chunk.empty()) {
    skip_lf_ = false;
    if (chunk[0] == '\n') i = 1;
  }
  while (i < chunk.size()) {
    std::size_t end = chunk.find_first_of("\r\n", i);
    if (end == std::string_view::npos) {
      if (partial_.size() + (chunk.size() - i) > max_line_bytes_) return too_long();
      partial_.append(chunk.substr(i));
      break;
    }
    std::string_view piece = chunk.substr(i, end - i);
    if (partial_.size() + piece.size() > max_line_bytes_) return too_long();
    // A line wholly inside this chunk is handed over in place, without a copy.
    std::string_view line = piece;
    if (!partial_.empty()) {
      partial_.append(piece);
      line = partial_;
    }
    Status status = on_line(line);
    partial_.clear();
    i = end + 1;
    if (chunk[end] == '\r') {
      if (i == chunk.size()) {
        skip_lf_ = true;
      } else if (chunk[i] == '\n') {
        ++i;
      }
    }
    if (!status.ok()) return status;
  }
  return Status::Ok();
}

}  // namespace capstan::http

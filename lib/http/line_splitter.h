// Splits a byte stream that arrives in pieces (HttpClient::Stream) into lines, whatever the
// piece boundaries: a line may span pieces, and a CR ending one piece followed by an LF starting
// the next is one line end. Lines end with LF, CRLF or a lone CR (the line ends of server-sent
// events; newline-delimited JSON uses LF or CRLF, which this reads the same way).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace capstan::http {

class LineSplitter {
 public:
  // REQUIRES: max_line_bytes > 0.
  explicit LineSplitter(std::size_t max_line_bytes);

  // Calls on_line with each line that `chunk` completes, in order, without its line end; the
  // view is valid only during the call. Bytes after the last line end are kept for the next
  // Feed. Stops at the first non-ok Status on_line returns and returns it; fails with
  // kLimitExceeded ("line exceeds <n> bytes") when a line grows past max_line_bytes. After a
  // failure the splitter must not be fed again.
  Status Feed(std::string_view chunk, const std::function<Status(std::string_view line)>& on_line);

  // The start of a line not yet ended; what a stream that ends now leaves unterminated.
  const std::string& partial() const { return partial_; }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
  bool skip_lf_ = false;  // the last piece ended with CR: an LF starting the next one is its pair
};

}  // namespace capstan::http

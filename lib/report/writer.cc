#include "report/writer.h"

#include <string>

#include "core/strings.h"
#include "report/writers.h"

namespace capstan::report {
namespace {

struct FormatName {
  const char* name;
  Format format;
};

constexpr FormatName kFormats[] = {
    {"text", Format::kText},
    {"json", Format::kJson},
    {"sarif", Format::kSarif},
    {"junit", Format::kJunit},
    {"github", Format::kGithub},
    {"codequality", Format::kCodeQuality},
    {"gitlab-secret-detection", Format::kGitlabSecretDetection},
    {"markdown", Format::kMarkdown},
};

}  // namespace

const char* FormatNames() {
  return "text|json|sarif|junit|github|codequality|gitlab-secret-detection|markdown";
}

Result<Format> ParseFormat(std::string_view name) {
  for (const FormatName& f : kFormats) {
    if (name == f.name) return f.format;
  }
  return Status::InvalidArgument("unknown format " + QuoteForMessage(name) + " (use " +
                                 FormatNames() + ")");
}

void Write(Format format, const Report& report, std::ostream& out, const WriteOptions& options) {
  switch (format) {
    case Format::kText:
      return internal::WriteText(report, out);
    case Format::kJson:
      return internal::WriteJson(report, out);
    case Format::kSarif:
      return internal::WriteSarif(report, out);
    case Format::kJunit:
      return internal::WriteJunit(report, out);
    case Format::kGithub:
      return internal::WriteGithub(report, options.max_annotations, out);
    case Format::kCodeQuality:
      return internal::WriteCodeQuality(report, out);
    case Format::kGitlabSecretDetection:
      return internal::WriteGitlabSecretDetection(report, out);
    case Format::kMarkdown:
      return internal::WriteMarkdown(report, out);
  }
}

}  // namespace capstan::report

// capstan_schemagen DATA_DIR OUT_DIR: writes the generated schemas (gen/generate.h) into OUT_DIR
// and removes generated files that are no longer produced. A developer tool; never installed.
#include <filesystem>
#include <iostream>
#include <set>

#include "fs/posix_file_system.h"
#include "gen/generate.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: capstan_schemagen DATA_DIR OUT_DIR\n";
    return 2;
  }
  const std::string data_dir = argv[1];
  const std::string out_dir = argv[2];
  capstan::fs::PosixFileSystem fs;
  auto files = capstan::schemas::GenerateSchemas(fs, data_dir);
  if (!files.ok()) {
    std::cerr << "capstan_schemagen: " << files.status().message() << "\n";
    return 1;
  }
  std::set<std::string> keep(capstan::schemas::HandWrittenSchemas().begin(),
                             capstan::schemas::HandWrittenSchemas().end());
  std::uint64_t total = 0;
  for (const auto& f : *files) {
    capstan::Status s = fs.WriteFileAtomic(out_dir + "/" + f.name, f.content);
    if (!s.ok()) {
      std::cerr << "capstan_schemagen: cannot write '" << out_dir << "/" << f.name
                << "': " << s.message() << "\n";
      return 3;
    }
    keep.insert(f.name);
    total += f.content.size();
  }
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(out_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && !keep.contains(name)) {
      std::filesystem::remove(entry.path(), ec);
      std::cout << "removed " << name << "\n";
    }
  }
  std::cout << files->size() << " schemas, " << capstan::fs::FormatBytes(total) << "\n";
  return 0;
}

// Measures the CPU time (user + sys of the child alone, from wait4) that commands take to start
// and finish, the cost a git hook pays on every commit. Reads the commands from stdin, one per
// line: a name, a tab, then the argument vector separated by single spaces (no quoting; argv[0]
// an absolute path). Runs them round-robin, each round in a shuffled order, `--runs` times each
// (default 25), with stdout and stderr on /dev/null, and prints per command the median, the
// minimum and the ratio of the median to the `--baseline` command's (default "hello"). Exits 1 when
// a command cannot be run or exits non-zero, 2 on usage errors.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {

struct Command {
  std::string name;
  std::vector<std::string> argv;
  std::vector<double> cpu_ms;
};

std::vector<std::string> Split(const std::string& line) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= line.size()) {
    std::size_t end = line.find(' ', start);
    if (end == std::string::npos) end = line.size();
    if (end > start) out.push_back(line.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

double Ms(const timeval& t) { return t.tv_sec * 1e3 + t.tv_usec / 1e3; }

// One run of the command; the child's user + sys CPU time in ms, or a negative value when it
// could not be run or exited non-zero.
double RunOnce(const Command& c) {
  std::vector<char*> argv;
  for (const std::string& a : c.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  int status = 0;
  rusage usage{};
  if (::wait4(pid, &status, 0, &usage) != pid) return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return Ms(usage.ru_utime) + Ms(usage.ru_stime);
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 25;
  std::string baseline = "hello";
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--runs" && i + 1 < argc) {
      runs = std::atoi(argv[++i]);
    } else if (a == "--baseline" && i + 1 < argc) {
      baseline = argv[++i];
    } else {
      std::cerr << "usage: capstan_bench_startup [--runs N] [--baseline NAME] < commands\n";
      return 2;
    }
  }
  std::vector<Command> commands;
  for (std::string line; std::getline(std::cin, line);) {
    std::size_t tab = line.find('\t');
    if (line.empty() || tab == std::string::npos) continue;
    commands.push_back({line.substr(0, tab), Split(line.substr(tab + 1)), {}});
  }
  if (runs < 1 || commands.empty()) {
    std::cerr << "capstan_bench_startup: no commands or no runs\n";
    return 2;
  }
  // Each round in its own order (fixed seed): a command measured right after a heavy one runs
  // on colder caches, which in a fixed order biases the same rows every round.
  std::vector<std::size_t> order(commands.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 rng(15);
  for (int r = 0; r < runs; ++r) {
    std::shuffle(order.begin(), order.end(), rng);
    for (std::size_t i : order) {
      Command& c = commands[i];
      double ms = RunOnce(c);
      if (ms < 0) {
        std::cerr << "capstan_bench_startup: " << c.name << " failed (" << c.argv[0] << ")\n";
        return 1;
      }
      c.cpu_ms.push_back(ms);
    }
  }
  double base = 0;
  for (const Command& c : commands) {
    if (c.name == baseline) base = Median(c.cpu_ms);
  }
  std::printf("%-28s %10s %10s %8s\n", "command", "median ms", "min ms", "ratio");
  for (const Command& c : commands) {
    double median = Median(c.cpu_ms);
    double low = *std::min_element(c.cpu_ms.begin(), c.cpu_ms.end());
    std::printf("%-28s %10.2f %10.2f", c.name.c_str(), median, low);
    if (base > 0) std::printf(" %7.2fx", median / base);
    std::printf("\n");
  }
  return 0;
}
